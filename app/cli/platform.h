// What the command line does differently on Windows, in one place: there
// the arguments arrive in UTF-16 and the C runtime would turn them into the
// ANSI code page, stdout translates "\n" to "\r\n", and std::filesystem
// reads a plain std::string in the ANSI code page. Everywhere else these are
// identities. Everything the CLI reads and prints is UTF-8.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cli {

// The arguments after the program name, in UTF-8 (on Windows from the
// wide command line, not from `argv`).
std::vector<std::string> utf8Arguments(int argc, char** argv);

// Standard streams as on POSIX: binary, so values and JSON are written
// byte for byte, and a Windows console shows UTF-8 (restored at exit).
void prepareStandardStreams();

// A path from UTF-8 text (an argument), and back for printing.
std::filesystem::path pathFromUtf8(const std::string& utf8);
std::string pathToUtf8(const std::filesystem::path& path);

}  // namespace cli
