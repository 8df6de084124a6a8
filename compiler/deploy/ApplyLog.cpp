#include "deploy/ApplyLog.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <vector>

namespace netsep::deploy {

std::string Operator::describe() const {
    if (!sudoUser.empty() && sudoUser != user)
        return sudoUser + " (as " + user + ")";
    return user;
}

Operator currentOperator() {
    Operator op;
    op.uid = ::getuid();
    std::vector<char> buf(16384);
    struct passwd pw {};
    struct passwd* found = nullptr;
    if (getpwuid_r(op.uid, &pw, buf.data(), buf.size(), &found) == 0 && found)
        op.user = found->pw_name;
    else
        op.user = "uid " + std::to_string(op.uid);
    if (const char* s = std::getenv("SUDO_USER"); s && *s)
        op.sudoUser = s;
    return op;
}

long long nowEpochMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string utcTimestamp(long long epochMs) {
    std::time_t secs = static_cast<std::time_t>(epochMs / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, epochMs % 1000);
}

std::string appendLog(const std::string& path, const nlohmann::ordered_json& entry) {
    nlohmann::ordered_json line;
    line["time"] = utcTimestamp(nowEpochMs());
    for (const auto& [k, v] : entry.items())
        line[k] = v;
    std::string text =
        line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return path + ": " + std::strerror(errno);
    // One write: entries of concurrent writers never interleave (O_APPEND).
    ssize_t n;
    do
        n = ::write(fd, text.data(), text.size());
    while (n < 0 && errno == EINTR);
    int err = errno;
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size()))
        return path + ": " + (n < 0 ? std::strerror(err) : "short write");
    return synced ? std::string() : path + ": fsync failed";
}

} // namespace netsep::deploy
