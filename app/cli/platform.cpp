#include "platform.h"

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#include <shellapi.h>

#include <cstdio>
#include <cstdlib>
#endif

namespace cli {

#ifdef _WIN32

namespace {

std::string narrow(const wchar_t* wide, int size) {
    if (size == 0) return {};
    // Unpaired surrogates become U+FFFD rather than failing.
    const int length = WideCharToMultiByte(CP_UTF8, 0, wide, size, nullptr, 0, nullptr, nullptr);
    std::string utf8(static_cast<std::size_t>(length > 0 ? length : 0), '\0');
    if (length > 0) WideCharToMultiByte(CP_UTF8, 0, wide, size, utf8.data(), length, nullptr, nullptr);
    return utf8;
}

UINT g_consoleOutputCodePage = 0;

void restoreConsoleCodePage() { SetConsoleOutputCP(g_consoleOutputCodePage); }

}  // namespace

std::vector<std::string> utf8Arguments(int argc, char** argv) {
    int count = 0;
    wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
    if (!wide) return std::vector<std::string>(argv + 1, argv + argc);  // cannot happen in practice
    std::vector<std::string> arguments;
    for (int i = 1; i < count; ++i) arguments.push_back(narrow(wide[i], static_cast<int>(wcslen(wide[i]))));
    LocalFree(wide);
    return arguments;
}

void prepareStandardStreams() {
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    // The console's code page outlives this process; put back what was there.
    g_consoleOutputCodePage = GetConsoleOutputCP();
    if (g_consoleOutputCodePage != 0 && g_consoleOutputCodePage != CP_UTF8 && SetConsoleOutputCP(CP_UTF8))
        std::atexit(restoreConsoleCodePage);
}

std::filesystem::path pathFromUtf8(const std::string& utf8) {
    if (utf8.empty()) return {};
    const int size = static_cast<int>(utf8.size());
    const int length = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(length > 0 ? length : 0), L'\0');
    if (length > 0) MultiByteToWideChar(CP_UTF8, 0, utf8.data(), size, wide.data(), length);
    return std::filesystem::path(std::move(wide));
}

std::string pathToUtf8(const std::filesystem::path& path) {
    return narrow(path.native().c_str(), static_cast<int>(path.native().size()));
}

#else

std::vector<std::string> utf8Arguments(int argc, char** argv) { return std::vector<std::string>(argv + 1, argv + argc); }

void prepareStandardStreams() {}

std::filesystem::path pathFromUtf8(const std::string& utf8) { return std::filesystem::path(utf8); }

std::string pathToUtf8(const std::filesystem::path& path) { return path.native(); }

#endif

}  // namespace cli
