#pragma once
#include "diag/DiagnosticEngine.hpp"
#include "drill/DrillRecord.hpp"
#include "model/Date.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::audit {

// A kill switch counts as exercised when its last drill passed within this
// many days (`audit --drill-max-age`); docs/audit.md says why 90.
inline constexpr int kDrillMaxAgeDays = 90;

// What the drill records say about one kill-switch group of the policy.
struct GroupDrill {
    enum class State {
        Current, // last drill passed, within the maximum age
        Stale,   // last drill passed, longer ago (DRL-002)
        Failed,  // last drill failed (DRL-003)
        Never,   // no intact record for the group (DRL-001)
    };
    std::string group;
    std::vector<uint32_t> exceptions;       // Policy::rules of the group
    std::optional<drill::DrillRecord> last; // the newest intact record of the group
    size_t drills = 0;                      // intact records of the group
    int ageDays = 0;                        // of `last`, on the as-of date
    bool samePolicy = false;                // last's policy digest is the audited one (DRL-004)
    State state = State::Never;
};

struct DrillEvidence {
    std::string dir;
    int maxAgeDays = kDrillMaxAgeDays;
    std::vector<GroupDrill> groups;           // every group exceptions name, in policy order
    std::vector<drill::DrillRecord> rejected; // tampered or unreadable: never trusted (DRL-005)
};

// The records' verdict per group; pure, for the unit tests.
DrillEvidence drillEvidence(const std::vector<drill::DrillRecord>& records,
                            const model::Policy& policy, const std::string& policyDigest,
                            model::Date asOf, int maxAgeDays);

// Reads every *.json file of DIR (not recursive) as a drill record. false
// with `error` when DIR cannot be read.
bool readDrillRecords(const std::string& dir, std::vector<drill::DrillRecord>& out,
                      std::string& error);

// The findings (DRL-001..005) at the group's first exception.
void reportDrillFindings(const DrillEvidence& e, const model::Policy& policy,
                         DiagnosticEngine& diags);

// "2026-11-22" of the group's last drill, or "" (the register's last_drill).
std::string lastDrillDate(const DrillEvidence* e, const std::string& group);

} // namespace netsep::audit
