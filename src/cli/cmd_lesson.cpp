// `convlab lesson check FILE...` and `convlab lesson list`: a teacher
// checks a lesson while writing it (every problem with file:line, every
// quiz answer recomputed by the core, every panel setting tried on a fresh
// panel), and sees which lessons are shipped.
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/lesson_check.h"
#include "cli/commands.h"
#include "core/io/asset_paths.h"
#include "core/lesson/library.h"

namespace convlab::cli {

namespace {

struct LessonArgs {
  std::vector<std::string> files;
  std::string folder;
  std::string language;
};

int run_check(const LessonArgs& args) {
  int bad = 0;
  for (const std::string& path : args.files) {
    lesson::Lesson parsed;
    const auto problems = app::check_lesson_file(path, &parsed);
    if (problems.empty()) {
      int quizzes = 0;
      for (const auto& step : parsed.steps) quizzes += static_cast<int>(step.quizzes.size());
      std::printf("%s: ok (%zu steps, %d quizzes)\n", path.c_str(), parsed.steps.size(), quizzes);
    } else {
      ++bad;
      std::fputs(lesson::format_problems(path, problems).c_str(), stderr);
    }
  }
  if (bad > 0) {
    std::fprintf(stderr, "convlab lesson check: %d of %zu lessons have problems\n", bad, args.files.size());
    return kExitRuntime;
  }
  return kExitOk;
}

int run_list(const LessonArgs& args) {
  std::string folder = args.folder;
  if (folder.empty()) {
    auto found = lessons_folder();
    if (!found) return runtime_error("lesson list", "no lessons folder found; give one with --folder");
    folder = *found;
  }
  const auto lessons = lesson::list_lessons(folder, args.language);
  if (lessons.empty())
    return runtime_error("lesson list",
                         "no lessons in " + folder + (args.language.empty() ? "" : "/" + args.language));
  for (const auto& l : lessons) {
    // Padded by characters, not bytes: Portuguese titles have accents.
    size_t characters = 0;
    for (unsigned char c : l.title) characters += (c & 0xC0) != 0x80;
    const std::string title = l.title + std::string(characters < 34 ? 34 - characters : 1, ' ');
    std::printf("%-6s %2d  %s%2d steps %2d quizzes  %s%s\n", l.language.c_str(), l.order, title.c_str(),
                l.steps, l.quizzes, l.path.c_str(), l.problems ? "  (has problems: run lesson check)" : "");
  }
  return kExitOk;
}

}  // namespace

Command add_lesson_command(CLI::App& root) {
  auto args = std::make_shared<LessonArgs>();
  CLI::App* app = root.add_subcommand("lesson", "Check lesson files, or list the shipped lessons");
  app->require_subcommand(1, 1);
  CLI::App* check = app->add_subcommand("check", "Check lesson files: syntax, quiz answers, panel settings");
  check->add_option("files", args->files, "Lesson files (.md)")->required();
  CLI::App* list = app->add_subcommand("list", "List the lessons (lessons/<language>/*.md)");
  list->add_option("--folder", args->folder, "A lessons folder (default: the shipped one)");
  list->add_option("--language", args->language, "Only this language: en or pt-BR");
  app->footer(R"(Examples:
  convlab lesson list
  convlab lesson list --language pt-BR
  convlab lesson check lessons/en/*.md
The format is documented in lessons/README.md.)");
  return {app, [args, check] { return check->parsed() ? run_check(*args) : run_list(*args); }};
}

}  // namespace convlab::cli
