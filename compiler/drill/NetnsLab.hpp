#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace netsep::drill {

// The network namespaces one drill creates, named "<prefix><suffix>" with
// the process id in the prefix (several drills and test runs may share the
// machine). Every namespace is deleted by teardown(), by the destructor,
// and on SIGINT/SIGTERM/SIGHUP by the process guard's cleanup; a namespace
// this lab did not create is never touched.
class NetnsLab {
public:
    NetnsLab();
    ~NetnsLab();
    NetnsLab(const NetnsLab&) = delete;
    NetnsLab& operator=(const NetnsLab&) = delete;

    // Creates namespace <prefix><suffix> (`ip netns add`) with loopback up.
    // Returns its name, or "" with `error`.
    std::string add(const std::string& suffix, std::string& error);
    // `ip -n NS -batch -` with these lines. "" or the tool's error.
    std::string ipBatch(const std::string& ns, const std::vector<std::string>& lines);
    // Writes a /proc/sys value inside the namespace ("net/ipv4/ip_forward").
    std::string sysctl(const std::string& ns, const std::string& key, const std::string& value);
    // A descriptor of the namespace (kept open until teardown), -1 if unknown.
    int fd(const std::string& ns) const;
    const std::vector<std::string>& names() const { return names_; }
    // Deletes every namespace created (veths go with them). Idempotent.
    void teardown();

    std::string prefix() const { return prefix_; }

private:
    std::string prefix_;
    std::vector<std::string> names_;
    std::map<std::string, int> fds_;
    int cleanupHandle_ = 0;
};

// Runs `fn` on a short-lived thread that has entered the namespace of
// `nsFd` (setns(2) moves only that thread). Sockets it creates stay in that
// namespace for their whole life. "" or why the namespace was not entered.
std::string inNamespace(int nsFd, const std::function<void()>& fn);

// Removes /run/netns/NAME the way `ip netns delete` does (detach the bind
// mount, unlink); async-safe enough for the signal thread.
void deleteNamespace(const std::string& name);

} // namespace netsep::drill
