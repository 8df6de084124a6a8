#include "drill/NetnsLab.hpp"

#include "deploy/Tool.hpp"
#include "driver/ProcessGuard.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace netsep::drill {

namespace {

// The names alive in this process, for the interruption cleanup (which must
// not depend on a lab object that another thread is using).
std::mutex gLive;
std::vector<std::string>& liveNames() {
    static std::vector<std::string> names;
    return names;
}

} // namespace

void deleteNamespace(const std::string& name) {
    std::string path = "/run/netns/" + name;
    ::umount2(path.c_str(), MNT_DETACH);
    ::unlink(path.c_str());
}

std::string inNamespace(int nsFd, const std::function<void()>& fn) {
    std::string error;
    std::thread t([&] {
        if (::setns(nsFd, CLONE_NEWNET) != 0) {
            error = std::string("setns: ") + std::strerror(errno);
            return;
        }
        fn();
    });
    t.join();
    return error;
}

NetnsLab::NetnsLab() : prefix_("nsd" + std::to_string(::getpid()) + "-") {
    cleanupHandle_ = driver::registerInterruptCleanup([] {
        std::lock_guard<std::mutex> lock(gLive);
        for (const auto& n : liveNames())
            deleteNamespace(n);
        liveNames().clear();
    });
}

NetnsLab::~NetnsLab() {
    teardown();
    driver::unregisterInterruptCleanup(cleanupHandle_);
}

std::string NetnsLab::add(const std::string& suffix, std::string& error) {
    std::string name = prefix_ + suffix;
    {
        // Registered first: a signal may arrive while `ip` runs.
        std::lock_guard<std::mutex> lock(gLive);
        liveNames().push_back(name);
    }
    names_.push_back(name);
    auto r = deploy::runTool({"ip", "netns", "add", name}, deploy::NetScope::host(), {}, 10000);
    if (!r.ok()) {
        error = r.describe({"ip", "netns", "add", name});
        return "";
    }
    int fd = ::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open /run/netns/" + name + ": " + std::strerror(errno);
        return "";
    }
    fds_[name] = fd;
    if (std::string e = ipBatch(name, {"link set lo up"}); !e.empty()) {
        error = e;
        return "";
    }
    return name;
}

std::string NetnsLab::ipBatch(const std::string& ns, const std::vector<std::string>& lines) {
    std::string input;
    for (const auto& l : lines)
        input += l + "\n";
    std::vector<std::string> argv = {"ip", "-n", ns, "-batch", "-"};
    auto r = deploy::runTool(argv, deploy::NetScope::host(), input, 10000);
    return r.ok() ? "" : r.describe(argv) + "\n" + input;
}

std::string NetnsLab::sysctl(const std::string& ns, const std::string& key,
                             const std::string& value) {
    std::string error;
    std::string entered = inNamespace(fd(ns), [&] {
        // /proc/sys/net shows the namespace of the thread that opens it.
        std::string path = "/proc/sys/" + key;
        int f = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (f < 0 || ::write(f, value.data(), value.size()) != ssize_t(value.size()))
            error = "cannot set " + key + " in " + ns + ": " + std::strerror(errno);
        if (f >= 0)
            ::close(f);
    });
    return entered.empty() ? error : entered;
}

int NetnsLab::fd(const std::string& ns) const {
    auto it = fds_.find(ns);
    return it == fds_.end() ? -1 : it->second;
}

void NetnsLab::teardown() {
    for (auto& [name, f] : fds_)
        ::close(f);
    fds_.clear();
    std::lock_guard<std::mutex> lock(gLive);
    for (const auto& n : names_) {
        deleteNamespace(n);
        auto& live = liveNames();
        live.erase(std::remove(live.begin(), live.end(), n), live.end());
    }
    names_.clear();
}

} // namespace netsep::drill
