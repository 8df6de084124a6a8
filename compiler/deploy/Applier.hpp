#pragma once
#include "deploy/Artifact.hpp"
#include "deploy/NetScope.hpp"
#include "deploy/StateStore.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace netsep::deploy {

// Exit codes of `netsep apply` (docs/deploy.md).
enum ApplyExit : int {
    kApplyDone = 0,     // applied, confirmed, rolled back, or status clean
    kApplyRefused = 1,  // nothing changed: drift, a change awaits confirmation, another
                        // apply runs, artifact of another compile; status: drift or a lost timer
    kApplyFailed = 2,   // usage or I/O error, or the kernel refused the ruleset (nothing
                        // changed, or what changed was put back)
    kApplyInternal = 3, // internal error
    kApplyBroken = 4,   // a rollback or put-back failed: the live ruleset is not known good
};

// Which state: the scope, the firewall and the backend. For confirm,
// rollback and status the firewall and backend may be left out when the
// scope holds one state only.
struct ApplyTarget {
    std::string stateRoot = kDefaultStateRoot;
    NetScope scope = NetScope::host();
    std::string firewall;
    std::optional<RulesetBackend> backend;
};

struct ApplyOptions {
    std::optional<unsigned> confirmWithin; // seconds; rolled back unless confirmed in time
    bool force = false;                    // over drift, a quarantine in force, another digest
    std::string comment;                   // recorded in the log (ticket, reason)
    std::string self;                      // this executable, for the confirm timer
};

// Loads an artifact into netsep's part of the live ruleset, first saving
// what it replaces (the rollback point); see docs/deploy.md for the checks.
int applyArtifact(const Artifact& artifact, const ApplyTarget& target, const ApplyOptions& options,
                  std::ostream& out);
// Keeps a change that awaits confirmation.
int confirmChange(const ApplyTarget& target, const std::string& comment, std::ostream& out);
// Restores the rollback point now.
int rollbackChange(const ApplyTarget& target, const std::string& comment, std::ostream& out);
// What is live, what awaits confirmation, drift. Exit 1 on drift or a lost
// confirm timer.
int showStatus(const ApplyTarget& target, std::ostream& out);

// The confirm timer, run as a detached `netsep apply --confirm-timer TOKEN`:
// rolls the change back at its deadline unless it was confirmed (its
// pending record is gone) or replaced (another token).
int runConfirmTimer(const ApplyTarget& target, const std::string& token, int readyFd);

} // namespace netsep::deploy
