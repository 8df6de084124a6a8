#pragma once
#include "drill/DrillPlan.hpp"
#include "driver/Session.hpp"

#include <ostream>
#include <string>

namespace netsep::drill {

// Exit codes of `netsep killswitch --drill` (docs/deploy.md).
enum DrillExit : int {
    kDrillPassed = 0, // every check saw what it expected; record written
    kDrillFailed = 1, // a check failed; record written with result "failed"
    kDrillUsage = 2,  // usage or environment error (not root, no nft, policy errors): no record
};

struct DrillOptions {
    DrillRequest request;
    std::string policyPath;    // as given, for the record
    std::string operatorName;  // --by
    std::string ticket;        // --ticket
    std::string recordDir;     // --record-dir
    int probeTimeoutMs = 1000; // per connection attempt and echo
    int cutWaitMs = 2000;      // how long after the engage the cut may take
};

// The kill-switch drill on real packets: builds the plan's topology out of
// network namespaces it creates, loads the firewall's compiled ruleset (the
// normal compile, loaded as `netsep apply` loads it), opens the group's
// exception flows and a control flow, engages the group's real disable
// artifact the way an operator runs it (`nft -f FILE`, `sh FILE`), checks
// that new and established connections of the exceptions are cut while the
// control flow passes, restores with the enable artifact and checks the
// exception flows pass again. Tears every namespace down (also on
// interruption) and writes the drill record. `s` holds the loaded policy.
int runDrill(driver::Session& s, const DrillOptions& options, std::ostream& out, std::ostream& err);

} // namespace netsep::drill
