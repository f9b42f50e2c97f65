// Command-line parsing for cachescope-cli: the table of commands and
// options, and a parser that accepts options before or after positional
// arguments, `--opt value` and `--opt=value`, and `--` before a KEY that
// starts with '-' (a negative number is accepted without it).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cli {

struct Invocation {
    bool json = false;
    std::string command;
    std::vector<std::string> args;  // positionals after the command; args[0] is DIRECTORY
    std::map<std::string, std::string> values;
    std::set<std::string> flags;

    bool has(const std::string& option) const { return flags.count(option) || values.count(option); }
    std::optional<std::string> value(const std::string& option) const;
};

struct ParseResult {
    enum class Action { Run, Help, Version, UsageError } action = Action::Run;
    Invocation invocation;
    std::string text;  // help text, or the usage error
};

ParseResult parseArguments(const std::vector<std::string>& argv);

// Help for one command, or the overview when `command` is empty.
std::string helpText(const std::string& command);

}  // namespace cli
