// cachescope-cli: inspect and maintain diskcache directories from a shell.
// Parsing is in args.cpp, each group of commands in its cmd_*.cpp.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "output.h"
#include "platform.h"

int main(int argc, char** argv) {
    cli::prepareStandardStreams();
    const std::vector<std::string> arguments = cli::utf8Arguments(argc, argv);
    const cli::ParseResult parsed = cli::parseArguments(arguments);
    switch (parsed.action) {
    case cli::ParseResult::Action::Version: std::printf("cachescope-cli %s\n", CACHESCOPE_VERSION); return cli::kExitOk;
    case cli::ParseResult::Action::Help: cli::writeOut(parsed.text); return cli::kExitOk;
    case cli::ParseResult::Action::UsageError: return cli::usage(parsed.text);
    case cli::ParseResult::Action::Run: break;
    }
    const cli::Invocation& inv = parsed.invocation;
    using Runner = int (*)(const cli::Invocation&);
    const std::pair<const char*, Runner> runners[] = {
        {"info", cli::runInfo},     {"ls", cli::runList},        {"get", cli::runGet},       {"export", cli::runExport},
        {"set", cli::runSet},       {"delete", cli::runDelete},  {"touch", cli::runTouch},   {"check", cli::runCheck},
        {"expire", cli::runRemoval}, {"cull", cli::runRemoval},  {"evict", cli::runRemoval}, {"clear", cli::runRemoval},
        {"stats", cli::runStats},   {"analyze", cli::runAnalyze},
    };
    for (const auto& [name, run] : runners) {
        if (inv.command == name) {
            const int status = run(inv);
            std::fflush(stdout);
            return status;
        }
    }
    return cli::usage("unknown command " + inv.command);
}
