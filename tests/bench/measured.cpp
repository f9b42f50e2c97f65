#include "measured.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

namespace bench {

namespace {

void writeAll(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n <= 0) return;
        done += std::size_t(n);
    }
}

std::string readAll(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, std::size_t(n));
    return text;
}

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
        out += c;
    }
    return out + "\"";
}

}  // namespace

Measurement measureInChild(const std::string& name, const Step& step) {
    Measurement m;
    m.name = name;
    int fds[2];
    if (pipe(fds) != 0) return m;
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        double seconds = 0;
        const std::string result = step([&](const std::function<void()>& body) {
            const auto start = std::chrono::steady_clock::now();
            body();
            seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        });
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        writeAll(fds[1], std::to_string(seconds) + "\n" + std::to_string(usage.ru_maxrss) + "\n" + result);
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    const std::string reply = readAll(fds[0]);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    const auto first = reply.find('\n'), second = reply.find('\n', first == std::string::npos ? 0 : first + 1);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || second == std::string::npos) {
        m.result = "error: the child failed";
        return m;
    }
    m.seconds = std::stod(reply.substr(0, first));
    m.peakRssKb = std::stol(reply.substr(first + 1, second - first - 1));
    m.result = reply.substr(second + 1);
    m.ok = m.result.rfind("error: ", 0) != 0;
    return m;
}

void printMeasurements(const std::string& mode, const std::string& extraJson, const std::vector<Measurement>& steps, bool json) {
    if (json) {
        std::printf("{\"mode\": %s%s%s, \"steps\": [", jsonString(mode).c_str(), extraJson.empty() ? "" : ", ",
                    extraJson.c_str());
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const auto& s = steps[i];
            std::printf("%s{\"name\": %s, \"ok\": %s, \"seconds\": %.6f, \"peak_rss_kb\": %ld, \"result\": %s}",
                        i ? ", " : "", jsonString(s.name).c_str(), s.ok ? "true" : "false", s.seconds, s.peakRssKb,
                        jsonString(s.result).c_str());
        }
        std::printf("]}\n");
        return;
    }
    std::printf("%s %s\n%-40s %12s %12s  %s\n", mode.c_str(), extraJson.c_str(), "step", "ms", "peak RSS MB", "result");
    for (const auto& s : steps)
        std::printf("%-40s %12.2f %12.1f  %s\n", s.name.c_str(), s.seconds * 1000, s.peakRssKb / 1024.0, s.result.c_str());
}

}  // namespace bench
