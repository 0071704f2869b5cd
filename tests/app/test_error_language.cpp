// Error messages in the UI language: a bad setting, a bad link and a bad
// lesson reach the status bar in Portuguese once the app has loaded the
// pt-BR catalog (as Shell::set_language does, from locale_folder()), still
// naming the key and the value that were typed; back in English they are
// exactly the English text the CLI and the other tests see.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "app/lesson_panel.h"
#include "app/link_state.h"
#include "app/register_panels.h"
#include "core/explore/explorer.h"
#include "core/explore/settings_text.h"
#include "core/io/asset_paths.h"
#include "platform/platform.h"

using namespace convlab;
using namespace convlab::app;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// English again whatever a check does.
struct EnglishAfter {
  ~EnglishAfter() { (void)platform::use_language("en", locale_folder()); }
};

std::string write_lesson(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("convlab_error_language_" + name);
  std::ofstream(path) << text;
  return path.string();
}

std::string message_of(const Status& status) {
  return status.ok() ? std::string("(no error)") : status.message();
}

struct Messages {
  std::string conv_setting, conv_panel_range, conv_panel_unknown;
  std::vector<std::string> link_problems;
  std::string lesson_parse, lesson_step, lesson_no_lesson;
};

// The same mistakes, in whatever language tr() answers in now.
Messages make_mistakes(const std::string& good_lesson, const std::string& bad_lesson) {
  Messages m;
  explore::ConvExplorer explorer;
  m.conv_setting = message_of(explore::apply_setting(explorer, "stride=banana"));
  auto conv = create_panel("conv");
  m.conv_panel_range = message_of(conv->apply_setting("stride", "9"));
  m.conv_panel_unknown = message_of(conv->apply_setting("strides", "2"));
  m.link_problems = parse_link("#lesson=en/02-padding&presenter=maybe&step=zero&lang=xx").problems;
  LessonPanel lesson;
  m.lesson_no_lesson = message_of(lesson.apply_setting("step", "1"));
  m.lesson_parse = message_of(lesson.apply_setting("file", bad_lesson));
  REQUIRE(lesson.apply_setting("file", good_lesson).ok());
  m.lesson_step = message_of(lesson.apply_setting("step", "9"));
  return m;
}

}  // namespace

TEST_CASE(
    "error messages in the UI language: settings, links and lessons in Portuguese, exact English after") {
  EnglishAfter restore;
  const std::string good =
      write_lesson("good.md", "---\ntitle: Two steps\nlanguage: en\n---\n## A\nOne.\n## B\nTwo.\n");
  const std::string bad = write_lesson("bad.md", "---\ntitle: Broken\nlanguage: xx\n---\n## A\nOne.\n");

  REQUIRE(platform::use_language("pt-BR", locale_folder()).ok());
  const Messages pt = make_mistakes(good, bad);
  INFO(pt.conv_setting);
  // The key and the value typed stay as they were; the words around them are Portuguese.
  CHECK(pt.conv_setting == "stride: 'banana' não é um valor válido; use N ou H,W (cada um de 1 a 4)");
  CHECK(pt.conv_panel_range == "stride: stride (altura) é 9, mas precisa estar entre 1 e 4");
  CHECK(contains(pt.conv_panel_unknown,
                 "painel 'conv': configuração desconhecida 'strides'; as chaves válidas são"));
  CHECK(contains(pt.conv_panel_unknown, "; e as do próprio painel: photo, loop, play"));
  REQUIRE(pt.link_problems.size() == 3);
  CHECK(pt.link_problems[0] == "presenter: 'maybe' não é válido; use 1 (ligado) ou 0 (desligado)");
  CHECK(pt.link_problems[1] == "lang: 'xx' não é um idioma que o ConvLab fala; válidos: en, pt-BR");
  CHECK(pt.link_problems[2] == "step: 'zero' não é válido; use o número de um passo, a partir de 1");
  CHECK(pt.lesson_no_lesson == "painel 'lesson': step: abra uma lição antes (file=CAMINHO)");
  CHECK(contains(pt.lesson_parse, bad + ":3: language: 'xx' não é aceito; válidos: en, pt-BR"));
  CHECK(pt.lesson_step == "step: '9' não é um valor válido; use um passo de 1 a 2");

  REQUIRE(platform::use_language("en", locale_folder()).ok());
  const Messages en = make_mistakes(good, bad);
  CHECK(en.conv_setting == "stride: 'banana' is not valid: use N or H,W (each 1..4)");
  CHECK(en.conv_panel_range == "stride: stride (height) is 9 but must be 1..4");
  CHECK(contains(en.conv_panel_unknown, "panel 'conv': unknown setting 'strides': valid keys are input, "));
  CHECK(contains(
      en.conv_panel_unknown,
      "; and the panel's own: photo, loop, play, hover, export_png, export_gif, export_csv, export_json, "
      "source, image, category, working_size, filter, channel"));
  REQUIRE(en.link_problems.size() == 3);
  CHECK(en.link_problems[0] == "presenter: 'maybe' is not valid; use 1 (on) or 0 (off)");
  CHECK(en.link_problems[1] == "lang: 'xx' is not a language ConvLab speaks; valid: en, pt-BR");
  CHECK(en.link_problems[2] == "step: 'zero' is not valid; use a step number from 1");
  CHECK(en.lesson_no_lesson == "panel 'lesson': step: open a lesson first (file=PATH)");
  CHECK(contains(en.lesson_parse, bad + ":3: language: 'xx' is not supported; valid: en, pt-BR"));
  CHECK(en.lesson_step == "step: '9' is not valid: use a step from 1 to 2");
  fs::remove(good);
  fs::remove(bad);
}

TEST_CASE("error messages in the UI language: the other explorers, a weights file and a decimal comma") {
  EnglishAfter restore;
  REQUIRE(platform::use_language("pt-BR", locale_folder()).ok());
  auto tconv = create_panel("tconv");
  CHECK(message_of(tconv->apply_setting("output_padding", "x")) ==
        "output_padding: 'x' não é um valor válido; use N ou H,W (cada um de 0 a 2 e menor que o stride ou a "
        "dilatação)");
  auto bn = create_panel("bn");
  // A number the user typed comes back with the decimal comma of the language.
  CHECK(message_of(bn->apply_setting("eps", "1.5")) ==
        "eps: eps é 1,5, mas precisa estar entre 0 e 1 (o PyTorch usa 1e-5; ele mantém 1/sqrt(var + eps) "
        "finito "
        "quando um canal é constante)");
  CHECK(message_of(bn->apply_setting("channel", "7")) ==
        "channel: o canal 7 (exibido) não existe; use de 0 a 2 (há 3 canais)");
  auto network = create_panel("network");
  const std::string not_weights = write_lesson("weights.safetensors", "abc");
  const std::string loaded = message_of(network->apply_setting("weights", not_weights));
  CHECK(contains(loaded, "painel 'network': weights: " + not_weights +
                             ": o arquivo tem 3 bytes; um arquivo safetensors"));
  fs::remove(not_weights);

  REQUIRE(platform::use_language("en", locale_folder()).ok());
  CHECK(
      message_of(bn->apply_setting("eps", "1.5")) ==
      "eps: eps is 1.5 but must be from 0 to 1 (PyTorch uses 1e-5; it keeps 1/sqrt(var + eps) finite when a "
      "channel is constant)");
  CHECK(message_of(bn->apply_setting("channel", "7")) ==
        "channel: shown channel is 7 but must be 0..2 (there are 3 channels)");
}
