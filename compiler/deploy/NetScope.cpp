#include "deploy/NetScope.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace netsep::deploy {

std::optional<NetScope> NetScope::netns(const std::string& name, std::string& error) {
    // iproute2 accepts any file name; netsep takes the portable subset so
    // that the name is also safe as a directory name and in messages.
    bool ok = !name.empty() && name.size() <= 64 && name[0] != '.' && name[0] != '-';
    for (char c : name)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.');
    if (!ok) {
        error = "--netns needs a network namespace name of at most 64 letters, digits, '_', "
                "'-' or '.' (not starting with '.' or '-')";
        return std::nullopt;
    }
    NetScope s;
    s.name_ = name;
    return s;
}

std::string NetScope::stateSegment() const {
    return isHost() ? "host" : "netns-" + name_;
}

std::string NetScope::describe() const {
    return isHost() ? "this host" : "network namespace " + name_;
}

std::string NetScope::logName() const {
    return isHost() ? "host" : "netns:" + name_;
}

int NetScope::open(std::string& error) const {
    std::string path = "/run/netns/" + name_;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        error = "cannot open network namespace " + name_ + " (" + path +
                "): " + std::strerror(errno) + (errno == ENOENT ? "; see `ip netns list`" : "");
    return fd;
}

} // namespace netsep::deploy
