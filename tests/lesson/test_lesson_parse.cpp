// The lesson format (lessons/README.md): a good lesson reads into steps,
// settings, controls and quizzes; every kind of broken lesson is reported
// with the line it is on, all problems at once.
#include <doctest/doctest.h>

#include <string>

#include "core/lesson/lesson.h"

using namespace convlab::lesson;

namespace {

Lesson parse(const std::string& text, std::vector<Problem>& problems) {
  return parse_lesson(text, "t.md", problems);
}

bool has_problem(const std::vector<Problem>& problems, int line, const std::string& words) {
  for (const Problem& p : problems)
    if (p.line == line && p.message.find(words) != std::string::npos) return true;
  return false;
}

std::string all(const std::vector<Problem>& problems) { return format_problems("t.md", problems); }

const char* kGood = R"(---
title: Padding
language: en
order: 2
---

The introduction.

## Zero padding

::: panel conv
input=5x5
# a comment
padding=valid
:::

::: controls
show=padding,step
lock=step
:::

Text with **bold**.

```
## not a step: code
```

::: quiz size
question: What size?
answer: 3x3
compute: conv_output input=5x5 kernel=3x3
explain: 5 - 3 + 1.
:::

## Second

::: quiz choice
question: Which?
choice: 9 weights
choice: 25 weights
answer: 9 weights
compute: kernel_weights kernel=3
explain: 3 times 3.
tolerance: 0
:::
)";

}  // namespace

TEST_CASE("a good lesson: front matter, steps, panel settings, controls, quizzes") {
  std::vector<Problem> problems;
  const Lesson lesson = parse(kGood, problems);
  INFO(all(problems));
  REQUIRE(problems.empty());
  CHECK(lesson.title == "Padding");
  CHECK(lesson.language == "en");
  CHECK(lesson.order == 2);
  CHECK(lesson.introduction.find("The introduction.") != std::string::npos);
  REQUIRE(lesson.steps.size() == 2);
  const Step& first = lesson.steps[0];
  CHECK(first.title == "Zero padding");
  CHECK(first.line == 9);
  CHECK(first.panel == "conv");
  REQUIRE(first.settings.size() == 2);
  CHECK(first.settings[0].key == "input");
  CHECK(first.settings[0].value == "5x5");
  CHECK(first.settings[1].line == 14);
  CHECK(first.controls.show == std::vector<std::string>{"padding", "step"});
  CHECK(first.controls.lock == std::vector<std::string>{"step"});
  CHECK(first.markdown.find("**bold**") != std::string::npos);
  CHECK(first.markdown.find("## not a step") != std::string::npos);  // inside a code block
  CHECK(first.markdown.find(":::") == std::string::npos);            // directives are not text
  REQUIRE(first.quizzes.size() == 1);
  CHECK(first.quizzes[0].type == QuizType::Size);
  CHECK(first.quizzes[0].line == 28);
  const Step& second = lesson.steps[1];
  CHECK(second.panel.empty());  // keeps the previous step's panel
  REQUIRE(second.quizzes.size() == 1);
  CHECK(second.quizzes[0].choices.size() == 2);
  CHECK(second.quizzes[0].tolerance == 0);
}

TEST_CASE("broken lessons: each problem named with its line") {
  SUBCASE("no front matter, no steps") {
    std::vector<Problem> problems;
    parse("# Just a title\n", problems);
    CHECK(has_problem(problems, 1, "front matter"));
    CHECK(has_problem(problems, 1, "no steps"));
  }
  SUBCASE("front matter: missing title, bad language, unknown key, unclosed") {
    std::vector<Problem> problems;
    parse("---\nlanguage: fr\ncolour: red\n", problems);
    CHECK(has_problem(problems, 2, "language: 'fr'"));
    CHECK(has_problem(problems, 3, "unknown front-matter key 'colour'"));
    CHECK(has_problem(problems, 1, "no closing '---'"));
    CHECK(has_problem(problems, 1, "no 'title:'"));
  }
  const std::string head = "---\ntitle: T\nlanguage: pt-BR\n---\n";  // lines 1-4
  SUBCASE("directives: before any step, unknown, unclosed, unknown panel, two panels") {
    std::vector<Problem> problems;
    parse(head +
              "::: panel conv\n:::\n## S\n::: slides\n:::\n::: panel gpu\n:::\n::: panel conv\n:::\n::: "
              "panel bn\n:::\n::: quiz number\n",
          problems);
    CHECK(has_problem(problems, 5, "directives belong in steps"));
    CHECK(has_problem(problems, 8, "unknown directive '::: slides'"));
    CHECK(has_problem(problems, 10, "unknown panel"));
    CHECK(has_problem(problems, 14, "this one is the second"));
    CHECK(has_problem(problems, 16, "no closing ':::'"));
  }
  SUBCASE("quizzes: missing lines, bad type, choice answer not offered, bad keys and lines") {
    std::vector<Problem> problems;
    parse(head +
              "## S\n"                                // 5
              "::: quiz essay\n:::\n"                 // 6-7
              "::: quiz number\nquestion: Q?\n:::\n"  // 8-10
              "::: quiz choice\nquestion: Q?\nchoice: a\nchoice: b\nanswer: c\ncompute: categories\nexplain: "
              "E\n:::\n"                                                                    // 11-18
              "::: quiz size\nhint: none\nno colon here\nchoice: x\ntolerance: -1\n:::\n",  // 19-24
          problems);
    INFO(all(problems));
    CHECK(has_problem(problems, 6, "number, size or choice"));
    CHECK(has_problem(problems, 8, "no 'answer:'"));
    CHECK(has_problem(problems, 8, "no 'compute:'"));
    CHECK(has_problem(problems, 8, "no 'explain:'"));
    CHECK(has_problem(problems, 11, "'c' is not one of the choices"));
    CHECK(has_problem(problems, 20, "unknown quiz key 'hint'"));
    CHECK(has_problem(problems, 21, "'key: value'"));
    CHECK(has_problem(problems, 23, "not a number >= 0"));
    CHECK(has_problem(problems, 19, "belong to choice quizzes"));
  }
  SUBCASE("panel and controls lines") {
    std::vector<Problem> problems;
    parse(head + "## S\n::: panel conv\nstride 2\n:::\n::: controls\nonly=stride\n:::\n```\nopen code\n",
          problems);
    CHECK(has_problem(problems, 7, "'key=value'"));
    CHECK(has_problem(problems, 10, "show=ID"));
    CHECK(has_problem(problems, 13, "never closed"));
  }
}

TEST_CASE("a missing lesson file is one problem naming nothing else") {
  std::vector<Problem> problems;
  load_lesson("/nonexistent/lesson.md", problems);
  REQUIRE(problems.size() == 1);
  CHECK(format_problems("/nonexistent/lesson.md", problems) ==
        "/nonexistent/lesson.md:0: cannot open the lesson file\n");
}
