// Quiz answers come from the core: every compute function against numbers
// worked out by hand (and the seed's example), typed answers in the forms
// students write, and a lesson whose stated answer is wrong is caught.
#include <doctest/doctest.h>

#include "core/base/i18n.h"
#include "core/lesson/quiz.h"

using namespace convlab::lesson;

namespace {

std::string computed(const std::string& compute) {
  auto value = compute_quiz_value(compute);
  REQUIRE_MESSAGE(value.ok(), (value.ok() ? "" : value.message()));
  return value->text();
}

Quiz quiz(QuizType type, const std::string& answer, const std::string& compute) {
  Quiz q;
  q.type = type;
  q.question = std::string("What is it?");
  q.answer = answer;
  q.compute = compute;
  q.explain = "Because.";
  return q;
}

}  // namespace

TEST_CASE("compute: sizes, weights and fields") {
  CHECK(computed("conv_output input=5x5 kernel=3x3") == "3x3");
  CHECK(computed("conv_output input=7 kernel=3 padding=same dilation=2") == "7x7");
  CHECK(computed("conv_output input=256x256 kernel=4 stride=2 padding=1") == "128x128");
  CHECK(computed("conv_output input=16 kernel=4 padding=3 dilation=2") == "16x16");
  CHECK(computed("conv_output input=5x5 kernel=3 padding=full") == "7x7");
  CHECK(computed("conv_output input=6x6 kernel=3 padding=1,0,0,0") == "5x4");
  CHECK(computed("tconv_output input=2x2 kernel=2") == "3x3");
  CHECK(computed("tconv_output input=16 kernel=4 stride=2 padding=1") == "32x32");
  CHECK(computed("padding_per_side preset=full kernel=4") == "3");
  CHECK(computed("padding_per_side preset=same kernel=4 dilation=2") == "3");
  CHECK(computed("field_size kernel=3 dilation=2") == "5x5");
  CHECK(computed("kernel_weights kernel=3x3") == "9");
  CHECK(computed("kernel_weights kernel=4 in_channels=11 filters=32") == "5632");
  CHECK(computed("conv_parameters kernel=4 in_channels=11 filters=32") == "5664");
  CHECK(computed("tconv_intermediates input=2x2") == "4");
  CHECK(computed("tconv_intermediate_size input=2x2 kernel=2x2") == "3x3");
}

TEST_CASE("compute: cell values, batch norm, the model") {
  // The seed's transposed convolution: [[0,1],[2,3]] with [[0,1],[2,3]] -> [[0,0,1],[0,4,6],[4,12,9]].
  CHECK(computed("tconv_value input=0,1;2,3 kernel=0,1;2,3 at=3,2") == "12");
  CHECK(computed("tconv_value input=0,1;2,3 kernel=0,1;2,3 at=2,3") == "6");
  CHECK(computed("conv_value input=1,2,3;4,5,6;7,8,9 kernel=1,0;0,1 at=2,2") == "14");  // 5 + 9
  CHECK(computed("conv_value input=1,2;3,4 kernel=1 at=1,1 padding=0 bias=0.5") == "1.5");
  CHECK(computed("mean values=2,4,6,8") == "5");
  CHECK(computed("variance values=2,4,6,8") == "5");  // biased, as batch norm
  CHECK(std::stod(computed("bn_normalize values=1,1,5,5 index=3")) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(std::stod(computed("bn_normalize values=1,1,5,5 index=1 gamma=2 beta=1")) ==
        doctest::Approx(-1.0).epsilon(1e-5));
  CHECK(computed("layer_shape layer=c1 input=256x256") == "32x128x128");
  CHECK(computed("layer_shape layer=x1 input=256 arch=basic") == "74x64x64");
  CHECK(computed("layer_channels layer=x0") == "11");
  CHECK(computed("model_parameters") == "3669194");
  CHECK(computed("categories") == "8");
  CHECK(computed("embedding_size") == "10");
}

TEST_CASE("compute errors name the function, the key and what is valid") {
  auto unknown = compute_quiz_value("volume input=3");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.message().find("conv_output") != std::string::npos);
  auto missing = compute_quiz_value("conv_output input=5x5");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("kernel") != std::string::npos);
  auto typo = compute_quiz_value("conv_output input=5 kernel=3 strid=2");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.message().find("'strid'") != std::string::npos);
  auto impossible = compute_quiz_value("conv_output input=3 kernel=5");
  REQUIRE_FALSE(impossible.ok());
  auto layer = compute_quiz_value("layer_shape layer=c9 input=256");
  REQUIRE_FALSE(layer.ok());
  CHECK(layer.message().find("c9") != std::string::npos);
}

TEST_CASE("a lesson's stated answer must be what the core computes") {
  CHECK(check_quiz_answer(quiz(QuizType::Size, "3x3", "conv_output input=5 kernel=3")).ok());
  auto wrong = check_quiz_answer(quiz(QuizType::Size, "4x4", "conv_output input=5 kernel=3"));
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.message().find("computes 3x3") != std::string::npos);
  CHECK_FALSE(check_quiz_answer(quiz(QuizType::Number, "9", "conv_output input=5 kernel=3")).ok());  // a size
  CHECK(check_quiz_answer(quiz(QuizType::Number, "0.99", "bn_normalize values=1,1,5,5 index=3")).ok() ==
        false);
  Quiz tolerant = quiz(QuizType::Number, "1", "bn_normalize values=1,1,5,5 index=3");
  CHECK(check_quiz_answer(tolerant).ok());  // 0.99999875 within the default 0.001
  Quiz choice = quiz(QuizType::Choice, "9 weights", "kernel_weights kernel=3");
  choice.choices = {"9 weights", "25 weights"};
  CHECK(check_quiz_answer(choice).ok());
  choice.answer = "25 weights";
  CHECK_FALSE(check_quiz_answer(choice).ok());
}

TEST_CASE("grading: the forms students type, in both languages") {
  const Quiz size = quiz(QuizType::Size, "3x3", "conv_output input=5 kernel=3");
  for (const char* typed : {"3x3", "3 x 3", "3×3", "3X3", " 3 "}) {
    CAPTURE(typed);
    CHECK(grade_answer(size, typed).correct);
  }
  const Grade wrong = grade_answer(size, "4x4");
  CHECK_FALSE(wrong.correct);
  CHECK(wrong.message.find("the answer is 3x3") != std::string::npos);
  CHECK(wrong.message.find("Because.") != std::string::npos);
  CHECK(grade_answer(size, "big").message.find("size") != std::string::npos);
  const Quiz number = quiz(QuizType::Number, "0.5", "mean values=0,1");
  CHECK(grade_answer(number, "0,5").correct);  // a Brazilian decimal comma
  CHECK(grade_answer(number, "0.5").message.rfind("Right!", 0) == 0);
  CHECK(grade_answer(number, "1").message.find("the answer is 0.5.") != std::string::npos);
  // The verdict follows the UI language (tr(); no catalog here, so English
  // words), and so does the answer's decimal separator.
  convlab::i18n::set_language_tag("pt-BR");
  const std::string in_portuguese = grade_answer(number, "1").message;
  convlab::i18n::set_language_tag("en");
  CHECK(in_portuguese.find("the answer is 0,5.") != std::string::npos);
  Quiz choice = quiz(QuizType::Choice, "9", "kernel_weights kernel=3");
  choice.choices = {"9", "25"};
  CHECK(grade_answer(choice, "9").correct);
  CHECK_FALSE(grade_answer(choice, "25").correct);
}

TEST_CASE("compute: pooling, flatten, the linear layer and softmax (How a CNN decides)") {
  CHECK(computed("pool_output input=64 kernel=2") == "32x32");
  CHECK(computed("pool_output input=7 kernel=3 stride=2") == "3x3");
  CHECK(computed("pool_output input=5 kernel=2 stride=2 padding=1") == "3x3");
  CHECK(computed("pool_value input=1,5,2,2;3,4,7,2 kernel=2 at=1,2") == "7");
  CHECK(computed("pool_value input=1,5,2,2;3,4,7,2 kernel=2 at=1,1 mode=average") == "3.25");
  // TinyVGG as shipped: 64x64 RGB, 16 then 32 filters, two halvings, 7 classes.
  CHECK(computed("layer_shape layer=conv1_1 input=64 arch=tinyvgg") == "16x64x64");
  CHECK(computed("layer_shape layer=pool2 input=64 arch=tinyvgg") == "32x16x16");
  CHECK(computed("layer_values layer=flatten input=64 arch=tinyvgg") == "8192");
  CHECK(computed("layer_values layer=fc input=64 arch=tinyvgg") == "7");
  CHECK(computed("layer_channels layer=conv2_2 arch=tinyvgg") == "32");
  CHECK(computed("linear_parameters inputs=8192 outputs=7") == "57351");
  // 448 + 2320 + 4640 + 9248 convolution weights and biases, 57351 in the linear layer.
  CHECK(computed("model_parameters arch=tinyvgg") == "74007");
  CHECK(std::stod(computed("softmax logits=2,1,0 index=1")) == doctest::Approx(0.665241).epsilon(1e-5));
  CHECK(std::stod(computed("softmax logits=1000,1000 index=2")) == doctest::Approx(0.5));  // no overflow
  CHECK_FALSE(compute_quiz_value("softmax logits=1,2 index=3").ok());
  CHECK_FALSE(compute_quiz_value("pool_value input=1,2;3,4 kernel=2 at=1,1 mode=median").ok());
  CHECK_FALSE(compute_quiz_value("layer_shape layer=fc input=64 arch=tinyvgg").ok());  // (1, 7): not an image
}
