#pragma once
#include "deploy/Artifact.hpp"
#include "deploy/NetScope.hpp"

#include <optional>
#include <string>

namespace netsep::deploy {

// Default root of apply's state (docs/deploy.md); --state-dir overrides it.
inline constexpr const char* kDefaultStateRoot = "/var/lib/netsep";

// Where `netsep apply` keeps what it knows about one firewall in one scope:
//   ROOT/<host|netns-NAME>/<firewall>/lock         one apply at a time
//   ROOT/<host|netns-NAME>/<firewall>/apply.log    append-only JSON Lines
//   ROOT/<host|netns-NAME>/<firewall>/<backend>/   the files below
// Files are replaced atomically (temporary file, fsync, rename, fsync of
// the directory), mode 0600 in directories of mode 0700.
class StateStore {
public:
    StateStore(std::string root, const NetScope& scope, std::string firewall,
               RulesetBackend backend);

    // Creates the directories. "" or an error.
    std::string prepare() const;

    std::string lockPath() const { return fwDir_ + "/lock"; }
    std::string logPath() const { return fwDir_ + "/apply.log"; }
    std::string timerLockPath() const { return dir_ + "/timer.lock"; }
    const std::string& dir() const { return dir_; }

    // The backend directory's files by name: "applied.snapshot" (netsep's
    // part as read back after the last change: the drift reference),
    // "applied.json" (what that is), "saved.snapshot" / "saved.json" (what
    // the last apply replaced: the rollback point), "pending.json" (a
    // change awaiting confirmation).
    // nullopt when absent; `error` set (and nullopt) on a read failure.
    std::optional<std::string> read(const std::string& name, std::string& error) const;
    std::string write(const std::string& name, const std::string& content) const;
    std::string remove(const std::string& name) const;

    const std::string& firewall() const { return firewall_; }
    RulesetBackend backend() const { return backend_; }
    const NetScope& scope() const { return scope_; }

private:
    std::string root_, fwDir_, dir_, firewall_;
    RulesetBackend backend_;
    NetScope scope_;
};

} // namespace netsep::deploy
