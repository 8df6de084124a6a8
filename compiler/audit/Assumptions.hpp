#pragma once
#include "analysis/Analysis.hpp"
#include "audit/Audit.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netsep::audit {

// What the policy asks the auditor to take on trust. Each of these changes
// what the analyses conclude or what the firewalls enforce, without any
// emitted rule to show for it.

// `waive hop ...`: an allowed flow the analysis does not count as lateral
// movement (risk acceptance).
struct WaiverAssumption {
    uint32_t waiver = 0;  // into Policy::waivers
    bool live = false;    // not expired on the as-of date
    bool matched = false; // covers some allowed flow
    int daysLeft = 0;     // until its `until` date (negative: expired)
};

// `isolated`: hosts inside the zone cannot reach each other. No firewall
// sits between them, so the network itself (private VLANs, host firewalls)
// must make that true.
struct IsolationAssumption {
    uint32_t zone = 0;
    std::vector<uint32_t> groups; // groups inside it, kept apart from the rest of the zone
};

// `identity-enforced-by`: backends of the firewall that cannot match users
// emit the rules without their identity condition and trust another
// component to enforce it.
struct IdentityDelegation {
    uint32_t firewall = 0;
    std::string trusted;               // the component named by identity-enforced-by
    std::vector<std::string> backends; // the firewall's backends that drop the condition
    std::vector<uint32_t> rules;       // rules emitted there without their identity
};

struct AssumptionRef {
    enum class Kind : uint8_t { Waiver, Isolated } kind = Kind::Waiver;
    uint32_t index = 0; // waiver or zone index
    friend auto operator<=>(const AssumptionRef&, const AssumptionRef&) = default;
};

// A finding that the policy passes only because of assumptions: it is
// reported when they are taken away.
struct HeldBack {
    std::string id;                    // LAT-001, EXF-001 or an audit rule id
    std::string message;               // the finding as it would read
    SourceSpan span;                   // where it would be reported
    std::optional<uint32_t> exception; // the exception it concerns, if any (rule index)
    std::vector<AssumptionRef> by;     // the assumptions that hold it back
    bool jointly = false;              // only all of them together (not each one alone)
};

struct Assumptions {
    std::vector<WaiverAssumption> waivers;
    std::vector<IsolationAssumption> isolated;
    std::vector<IdentityDelegation> delegations;
    std::vector<HeldBack> heldBack;
    // With many assumptions only their joint effect is computed, not each
    // assumption's on its own.
    bool attributed = true;
};

// Up to this many live waivers and isolated zones are each taken away on
// their own (one analysis each); beyond, only all of them at once.
inline constexpr size_t kMaxAttributedAssumptions = 16;

// Lists the assumptions and finds what each one holds back, by running the
// analysis and the audit again without it. `baseline` and `audit` are the
// results of the policy as written (Session::check).
Assumptions collectAssumptions(const model::Policy& policy, const SourceManager& sources,
                               const analysis::Result& baseline, const AuditResult& audit,
                               model::Date asOf);

} // namespace netsep::audit
