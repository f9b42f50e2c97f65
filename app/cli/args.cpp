#include "args.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace cli {

namespace {

struct OptionDef {
    const char* name;
    const char* valueName;  // nullptr: a flag
    const char* help;
};

const OptionDef kOptions[] = {
    {"--json", nullptr, "print JSON instead of text"},
    {"--help", nullptr, "show help"},
    {"--version", nullptr, "show the version"},
    {"--limit", "N", "entries per page (default 100)"},
    {"--after", "CURSOR", "continue after the page that printed this cursor as `next`"},
    {"--sort", "COLUMN", "key, size, store_time, access_time, expire_time, access_count, tag or stored_size"},
    {"--desc", nullptr, "sort in descending order (entries without the column stay last)"},
    {"--prefix", "TEXT", "only str/bytes keys starting with TEXT"},
    {"--contains", "TEXT", "only str/bytes keys containing TEXT"},
    {"--tag", "TAG", "only entries with this tag (a Python literal, else text)"},
    {"--function", "NAME", "only keys memoize() made for this function (module.qualname)"},
    {"--expired", nullptr, "only expired entries"},
    {"--live", nullptr, "only entries that have not expired"},
    {"--in-file", nullptr, "only values stored in files"},
    {"--in-db", nullptr, "only values stored in the database"},
    {"--raw", nullptr, "write the stored bytes to stdout"},
    {"--output", "FILE", "write the stored bytes to FILE"},
    {"--expire", "SECONDS", "expire after SECONDS from now"},
    {"--int", nullptr, "store VALUE as an int"},
    {"--float", nullptr, "store VALUE as a float"},
    {"--bytes-file", "FILE", "store the bytes of FILE"},
    {"--text-file", "FILE", "store the UTF-8 text of FILE"},
    {"--dry-run", nullptr, "say what would change, change nothing"},
    {"--fix", nullptr, "repair what was found"},
    {"--enable", nullptr, "switch statistics on"},
    {"--disable", nullptr, "switch statistics off"},
    {"--reset", nullptr, "zero the hit and miss counters"},
    {"--format", "FORMAT", "jsonl (default) or csv"},
    {"--timeout", "SECONDS", "wait this long for another process's lock (default 60)"},
    {"--top", "N", "how many of the largest entries and next cull victims to show (default 20)"},
};

struct CommandDef {
    const char* name;
    const char* operands;  // after DIRECTORY
    std::size_t minArgs;   // DIRECTORY included
    std::size_t maxArgs;
    std::vector<std::string> options;
    const char* summary;
};

const std::vector<std::string> kListOptions = {"--sort", "--desc", "--prefix", "--contains", "--tag", "--function",
                                               "--expired", "--live", "--in-file", "--in-db"};

std::vector<std::string> join(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const std::vector<CommandDef>& commands() {
    static const std::vector<CommandDef> table = {
        {"info", "", 1, 1, {}, "what the directory is: kind, counts, sizes, settings, shards, sub-stores"},
        {"ls", "", 1, 1, join({"--limit", "--after"}, kListOptions), "list entries a page at a time"},
        {"get", "KEY", 2, 2, {"--raw", "--output"}, "show one entry's value (never touches access time or hits)"},
        {"set", "KEY [VALUE]", 2, 3,
         {"--expire", "--tag", "--int", "--float", "--bytes-file", "--text-file", "--dry-run", "--timeout"},
         "store VALUE (a str unless --int/--float/--bytes-file/--text-file) under KEY"},
        {"delete", "KEY", 2, 2, {"--dry-run", "--timeout"}, "remove KEY (exit 1 when it is missing)"},
        {"touch", "KEY", 2, 2, {"--expire", "--dry-run", "--timeout"}, "set a new expiry on KEY (none: never)"},
        {"check", "", 1, 1, {"--fix", "--dry-run", "--timeout"}, "look for damage as Python's check() does"},
        {"expire", "", 1, 1, {"--dry-run", "--timeout"}, "remove expired entries"},
        {"cull", "", 1, 1, {"--dry-run", "--timeout"}, "remove expired entries, then cull to size_limit"},
        {"evict", "TAG", 2, 2, {"--dry-run", "--timeout"}, "remove entries with TAG"},
        {"clear", "", 1, 1, {"--dry-run", "--timeout"}, "remove every entry"},
        {"stats", "", 1, 1, {"--enable", "--disable", "--reset", "--dry-run", "--timeout"},
         "hit and miss counters (read only unless --enable/--disable/--reset)"},
        {"export", "", 1, 1, join({"--format"}, kListOptions), "every entry with its value's repr, streamed"},
        {"analyze", "", 1, 1, {"--top"},
         "read every row once: sizes, expiry, tags, memoized functions, space on disk, settings advice"},
    };
    return table;
}

const OptionDef* findOption(const std::string& name) {
    for (const auto& option : kOptions)
        if (name == option.name) return &option;
    return nullptr;
}

const CommandDef* findCommand(const std::string& name) {
    for (const auto& command : commands())
        if (name == command.name) return &command;
    return nullptr;
}

// "-1", "-1.5", "-.5", "-1e3": a negative number given as a KEY.
bool looksLikeNegativeNumber(const std::string& arg) {
    if (arg.size() < 2 || arg[0] != '-') return false;
    char* end = nullptr;
    std::strtod(arg.c_str(), &end);
    return end && *end == '\0' && (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.');
}

ParseResult usageError(std::string message) {
    ParseResult result;
    result.action = ParseResult::Action::UsageError;
    result.text = std::move(message);
    return result;
}

}  // namespace

std::optional<std::string> Invocation::value(const std::string& option) const {
    auto found = values.find(option);
    if (found == values.end()) return std::nullopt;
    return found->second;
}

ParseResult parseArguments(const std::vector<std::string>& argv) {
    ParseResult result;
    Invocation& inv = result.invocation;
    std::vector<std::string> positionals;
    bool help = false, version = false, endOfOptions = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (endOfOptions || arg == "-" || arg.empty() || arg[0] != '-' || looksLikeNegativeNumber(arg)) {
            positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            endOfOptions = true;
            continue;
        }
        if (arg == "-h") {
            help = true;
            continue;
        }
        const auto eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        const OptionDef* option = arg.rfind("--", 0) == 0 ? findOption(name) : nullptr;
        if (!option) return usageError("unknown option " + name + " (a KEY starting with '-' goes after --)");
        if (!option->valueName) {
            if (eq != std::string::npos) return usageError(name + " takes no value");
            if (name == "--help") help = true;
            else if (name == "--version") version = true;
            else if (name == "--json") inv.json = true;
            else inv.flags.insert(name);
            continue;
        }
        if (eq != std::string::npos) {
            inv.values[name] = arg.substr(eq + 1);
        } else if (i + 1 < argv.size()) {
            inv.values[name] = argv[++i];
        } else {
            return usageError(name + " needs a value (" + option->valueName + ")");
        }
    }
    if (version) {
        result.action = ParseResult::Action::Version;
        return result;
    }
    if (positionals.empty()) {
        if (help) {
            result.action = ParseResult::Action::Help;
            result.text = helpText("");
            return result;
        }
        return usageError("no command given; try --help");
    }
    inv.command = positionals.front();
    const CommandDef* command = findCommand(inv.command);
    if (!command) return usageError("unknown command '" + inv.command + "'; try --help");
    if (help) {
        result.action = ParseResult::Action::Help;
        result.text = helpText(inv.command);
        return result;
    }
    inv.args.assign(positionals.begin() + 1, positionals.end());
    auto allowed = [&](const std::string& name) {
        return std::find(command->options.begin(), command->options.end(), name) != command->options.end();
    };
    for (const auto& flag : inv.flags)
        if (!allowed(flag)) return usageError(inv.command + " does not take " + flag);
    for (const auto& [name, value] : inv.values)
        if (!allowed(name)) return usageError(inv.command + " does not take " + name);
    if (inv.args.size() < command->minArgs || inv.args.size() > command->maxArgs) {
        return usageError(std::string("usage: cachescope-cli ") + command->name + " DIRECTORY" +
                          (*command->operands ? std::string(" ") + command->operands : std::string()) + " [options]");
    }
    return result;
}

std::string helpText(const std::string& name) {
    if (name.empty()) {
        std::string text =
            "usage: cachescope-cli [--json] COMMAND DIRECTORY [ARGS] [options]\n"
            "Inspect and maintain directories made by Python's diskcache (Cache, FanoutCache, Deque, Index)\n"
            "and Django's file cache. Options may come before or after the arguments; put a KEY that\n"
            "starts with '-' after --. KEY and TAG are Python literals ('a', b'\\x00', 42, (1, 'a'), None),\n"
            "anything else is text. Exit status: 0 success, 1 operational error, 2 usage error.\n\ncommands:\n";
        for (const auto& command : commands()) {
            std::string line = std::string("  ") + command.name;
            line.resize(12, ' ');
            text += line + command.summary + "\n";
        }
        text += "\n'cachescope-cli COMMAND --help' describes a command's options.\n";
        return text;
    }
    const CommandDef* command = findCommand(name);
    if (!command) return helpText("");
    std::string text = std::string("usage: cachescope-cli [--json] ") + command->name + " DIRECTORY" +
                       (*command->operands ? std::string(" ") + command->operands : std::string()) + " [options]\n" +
                       command->summary + "\n\noptions:\n";
    std::vector<std::string> options = command->options;
    options.insert(options.begin(), {"--json", "--help"});
    for (const auto& optionName : options) {
        const OptionDef* option = findOption(optionName);
        std::string line = "  " + optionName + (option->valueName ? std::string(" ") + option->valueName : "");
        if (line.size() < 24) line.resize(24, ' ');
        else line += "  ";
        text += line + option->help + "\n";
    }
    return text;
}

}  // namespace cli
