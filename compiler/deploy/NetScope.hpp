#pragma once
#include <optional>
#include <string>

namespace netsep::deploy {

// Where a ruleset is applied: this host's network stack, or a named network
// namespace (`ip netns add NAME`, i.e. /run/netns/NAME). Tools run inside
// the namespace through setns(2) in the child process before exec.
class NetScope {
public:
    static NetScope host() { return NetScope(); }
    // nullopt and `error` set when NAME cannot be a namespace name.
    static std::optional<NetScope> netns(const std::string& name, std::string& error);

    bool isHost() const { return name_.empty(); }
    const std::string& netnsName() const { return name_; }
    // The state directory level: "host" or "netns-NAME".
    std::string stateSegment() const;
    // "this host" or "network namespace NAME", for messages.
    std::string describe() const;
    // For the apply log: "host" or "netns:NAME".
    std::string logName() const;

    // An O_RDONLY|O_CLOEXEC descriptor of the namespace (for setns), or -1
    // with `error` set. Not called for the host.
    int open(std::string& error) const;

private:
    NetScope() = default;
    std::string name_;
};

} // namespace netsep::deploy
