#include "diag/DiagnosticCodes.hpp"

#include <unordered_map>

namespace netsep::diag {

const std::vector<CodeInfo>& diagnosticCodes() {
    static const std::vector<CodeInfo> codes = {
        // Reading and syntax.
        {"E101", kError, "Syntax error"},
        {"E102", kError, "Include cannot be read"},
        {"E103", kError, "File is not valid UTF-8"},
        {"E104", kError, "Include cycle"},
        {"E105", kError, "Includes nested too deep"},
        {"E106", kError, "Unknown escape in a string"},
        {"E107", kError, "Word longer than 255 bytes"},
        // Names and statement structure.
        {"E201", kError, "Duplicate definition"},
        {"E202", kError, "Undefined name"},
        {"E203", kError, "Required field missing"},
        {"E204", kError, "Service name reads as a protocol clause"},
        {"E205", kError, "Field given more than once"},
        {"E206", kError, "Name of the wrong kind"},
        {"E207", kError, "'any' combined with other names"},
        {"E208", kError, "Deny narrowed by an identity"},
        {"E209", kError, "'expect no-path' with a service"},
        {"E210", kError, "Waiver without reason or ticket"},
        {"E211", kError, "Firewall name unusable as a directory name"},
        {"E212", kError, "Engaged kill switch without who ordered it or a ticket"},
        {"E214", kError, "Interface named for a backend the firewall does not list"},
        {"E215", kError, "Two interfaces print under one name on a backend"},
        // Values and addresses.
        {"E301", kError, "Bad service clause"},
        {"E302", kError, "Unknown value"},
        {"E303", kError, "Bad address or prefix"},
        {"E304", kError, "Zone, group or SaaS endpoint without addresses"},
        {"E305", kError, "Bad domain name"},
        {"E306", kError, "Same prefix in two zones or SaaS endpoints"},
        {"E307", kError, "Group address outside its zone"},
        {"E308", kError, "Bad date"},
        {"E309", kError, "Zone outside the zone it is declared in"},
        {"W301", kWarning, "Network listed twice"},
        {"W302", kWarning, "Name listed twice"},
        {"W303", kWarning, "Rule within one endpoint"},
        {"W304", kWarning, "Nested zone carves a large part or a different kind of zone"},
        {"W305", kWarning, "Private address space falls into the internet catch-all"},
        {"W306", kWarning, "Zone of a kind other than internet or saas owns public address space"},
        {"E401", kError, "Letter document digest is not sha256 and 64 hex digits"},
        {"E402", kError, "'any' in a letter's scope"},
        {"W401", kWarning, "Inline basis is deprecated: declare a letter"},
        {"N301", kNote, "Analysis assumes an isolated zone"},
        // Backends and emission.
        {"E501", kError, "Backend cannot express a rule's feature"},
        {"E502", kError, "Backend not implemented in this build"},
        {"E503", kError, "Unknown kill-switch group"},
        {"E504", kError, "Backend cannot emit a kill switch"},
        {"E505", kError, "Kill switch needs the deployed compile"},
        {"W504", kWarning, "No firewall carries the kill-switch group"},
        {"W505", kWarning, "Kill switch of a group engaged in the policy"},
        {"W506", kWarning, "Kill switch engaged without a decision"},
        {"W507", kWarning, "Kill switch recorded as engaged after the as-of date"},
        {"E506", kError, "Previous output cannot be used"},
        {"E510", kError, "Quarantine target is not a zone or group"},
        {"E511", kError, "Bad quarantine access zone"},
        {"E512", kError, "Backend cannot emit a quarantine"},
        {"E513", kError, "No firewall polices the quarantine target"},
        {"N501", kNote, "Identity enforced by another component"},
        // Analysis (docs/analysis.md).
        {"LAT-001", kError, "Lateral-movement path from an exposed source to a target zone"},
        {"EXF-001", kError, "Data in a target zone can flow to the internet or a SaaS endpoint"},
        {"EXP-001", kError, "An `expect allow` statement failed"},
        {"EXP-002", kError, "An `expect deny` statement failed"},
        {"EXP-003", kError, "An `expect no-path` statement failed"},
        {"ANO-001", kWarning, "Dead rule: every flow it allows is denied"},
        {"ANO-002", kWarning, "Redundant rule: another access rule allows everything it allows"},
        {"WAI-001", kWarning, "Waiver matches no allowed flow"},
        {"WAI-002", kWarning, "Waiver expired: the hop counts as lateral movement again"},
        // CI gates: `--fail-on` (docs/ci.md).
        {"CIG-001", kError, "Exception expired (--fail-on expired)"},
        {"CIG-002", kError, "Exception expires within the given days (--fail-on expiring)"},
        {"CIG-003", kError, "Waiver expired (--fail-on waiver-expired)"},
        {"CIG-004", kError, "Waiver ends within the given days (--fail-on waiver-expiring)"},
        // Audit (docs/reference.md, "Audit rules").
        {"AIX-001", kError, "Exception purpose must be a security purpose"},
        {"AIX-002", kError, "Exception needs a legal basis"},
        {"AIX-003", kError | kWarning,
         "Exception validity: in force only inside its basis's period, on the as-of date"},
        {"AIX-004", kError, "Exception destination must be a declared SaaS endpoint"},
        {"AIX-005", kError, "Exception services must be explicit TLS ports"},
        {"AIX-006", kError,
         "No exception from datacenter/classified zones or with a data path from one"},
        {"AIX-007", kWarning, "Exception source should be a group or identity"},
        {"AIX-008", kWarning, "SaaS endpoint needs a screening reference with a date"},
        {"AIX-009", kError, "Exception must belong to a kill-switch group"},
        {"AIX-010", kError, "Exception must be logged"},
        {"AIX-011", kWarning, "Exception must be approved by a CISO role"},
        {"AIX-012", kError, "SaaS side must never open connections inward"},
        {"AIX-013", kWarning, "SaaS screening older than 184 days"},
        {"AIX-014", kError, "Exception outside the scope of its letter"},
        {"AIX-015", kWarning, "Letter not in force on the as-of date"},
        {"AIX-016", kError, "Letter period longer than its kind allows"},
        {"AIX-017", kError, "Letter id reused for another scope, kind or issue date"},
        {"AIX-018", kError, "Exception outlives its letter"},
        {"ZSG-001", kError, "No any-to-any allow; default deny holds"},
        {"ZSG-002", kWarning, "Every zone declares kind and level"},
        {"ZSG-003", kError,
         "No path from a datacenter zone to the internet or SaaS except via exceptions"},
        {"ZSG-004", kError, "Internal to internet flows only through valid exceptions"},
        {"ZSG-005", kError, "Internet to internal/datacenter only through a DMZ hop"},
        {"ZSG-006", kError, "Exception holders have no lateral-movement path to a target"},
        {"ZSG-007", kWarning, "Administrative services only from admin zones"},
        {"ZSG-008", kWarning, "Every allow has justification and owner"},
        {"ZSG-009", kWarning, "R&D/devtest zones have no path into datacenter zones"},
        // Assumptions listed by `netsep audit --format sarif` (docs/audit.md).
        {"ASM-001", kNote, "Risk acceptance: a waived hop"},
        {"ASM-002", kNote, "Assumption: an isolated zone the network must enforce"},
        {"ASM-003", kNote, "Identity delegation: rules emitted without their identity"},
        {"ASM-004", kNote, "Finding that passes only because of assumptions"},
        // Kill-switch drill evidence, `netsep audit --drill-records DIR` (docs/audit.md).
        {"DRL-001", kWarning, "Kill-switch group never drilled"},
        {"DRL-002", kWarning, "Kill-switch group's last drill is too old"},
        {"DRL-003", kError, "Kill-switch group's last drill failed"},
        {"DRL-004", kNote, "Kill-switch group drilled on an earlier policy version"},
        {"DRL-005", kError, "Drill record tampered with or unreadable"},
    };
    return codes;
}

const CodeInfo* findCode(std::string_view code) {
    static const std::unordered_map<std::string_view, const CodeInfo*> index = [] {
        std::unordered_map<std::string_view, const CodeInfo*> m;
        for (const CodeInfo& c : diagnosticCodes())
            m.emplace(c.code, &c);
        return m;
    }();
    auto it = index.find(code);
    return it == index.end() ? nullptr : it->second;
}

} // namespace netsep::diag
