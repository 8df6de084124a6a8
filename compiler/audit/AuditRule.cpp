#include "audit/AuditRule.hpp"

namespace netsep::audit {

const std::vector<AuditRule>& auditRules() {
    static const std::vector<AuditRule> rules = {
        {"AIX-001", "purpose is a security purpose", "FSC May 2026: security purposes only",
         Severity::Error, false},
        {"AIX-002", "a legal basis: no-action letter, sandbox, or the SaaS general exception",
         "Art. 15 exceptions need a basis", Severity::Error, false},
        {"AIX-003",
         "in force only inside its basis's period: a start date, at most 365 days (letter), "
         "730 (sandbox) or 184 (SaaS general) from it; not expired or not yet in force",
         "one-year no-action letter; Financial Innovation Support Act Art. 10; 6-monthly SaaS "
         "evaluation",
         Severity::Error, false},
        {"AIX-004", "destination is a declared saas endpoint with explicit networks/FQDNs",
         "necessary destinations only; PCI DSS 1.3.2", Severity::Error, false},
        {"AIX-005", "explicit services, TCP on TLS ports only", "necessary ports only",
         Severity::Error, false},
        {"AIX-006", "no source in a datacenter/classified zone, no data path from one into it",
         "Art. 15(1)5; credit-information carve-out", Severity::Error, true},
        {"AIX-007", "source is a group or identity, never a whole internal zone",
         "zero trust, least privilege", Severity::Warning, false},
        {"AIX-008", "saas endpoint has a dated screening/certification reference",
         "FSI pre-screen; certified AI/SaaS only", Severity::Warning, false},
        {"AIX-009", "exception belongs to a kill-switch group", "July 2026 exemption; DORA 9(4)(b)",
         Severity::Error, false},
        {"AIX-010", "exception is logged", "Art. 18 access records; PCI DSS 10", Severity::Error,
         false},
        {"AIX-011", "approved-by names a CISO role", "dedicated CISO approval", Severity::Warning,
         false},
        {"AIX-012", "egress only: the saas side never opens a connection inward", "PCI DSS 1.4.2",
         Severity::Error, false},
        {"AIX-013", "saas screening not older than 184 days", "6-monthly SaaS evaluation",
         Severity::Warning, false},
        {"AIX-014",
         "the exception stays inside its letter's scope: purpose, sources, destinations, services",
         "the no-action letter / designation allows what it names, nothing more", Severity::Error,
         false},
        {"AIX-015", "the letter an exception rests on is in force on the as-of date",
         "a lapsed letter grants nothing", Severity::Warning, false},
        {"AIX-016",
         "a letter's period is no longer than the regulation allows for its kind (365 / 730 / "
         "184 days) and starts after the regime",
         "one-year no-action letter; Financial Innovation Support Act Art. 10; SaaS exception "
         "of 20 Apr 2026",
         Severity::Error, false},
        {"AIX-017",
         "one letter id is not reused for exceptions of different scope, nor cited with another "
         "kind or issue date",
         "a letter covers the scope it was granted for", Severity::Error, false},
        {"AIX-018", "no exception outlives the letter it rests on",
         "a lapsed letter grants nothing", Severity::Error, false},
        {"ZSG-001", "no allow from any zone to any zone; default deny holds",
         "NIST SP 800-53 SC-7(5); PCI DSS 1.3.1", Severity::Error, false},
        {"ZSG-002", "every zone declares kind and level", "Art. 15 zoning; DORA RTS 13",
         Severity::Warning, false},
        {"ZSG-003",
         "no path from a datacenter zone to an internet or saas zone except through "
         "exceptions",
         "Art. 15(1)5", Severity::Error, true},
        {"ZSG-004", "internal to internet flows only through valid exceptions", "Art. 15(1)3",
         Severity::Error, false},
        {"ZSG-005", "internet to internal/datacenter only through a dmz hop",
         "Art. 17; PCI DSS 1.4", Severity::Error, false},
        {"ZSG-006", "zones/groups holding an exception have no lateral-movement path to a target",
         "FSC 2026 guide: stop spread", Severity::Error, true},
        {"ZSG-007", "administrative services only from admin zones", "role-based separation",
         Severity::Warning, false},
        {"ZSG-008", "every allow has a justification and an owner", "PCI DSS 1.2.5",
         Severity::Warning, false},
        {"ZSG-009", "rnd/devtest zones have no path into datacenter zones",
         "FSI R&D network guide (2025)", Severity::Warning, true},
    };
    return rules;
}

const AuditRule* findAuditRule(const std::string& id) {
    for (const auto& r : auditRules())
        if (id == r.id)
            return &r;
    return nullptr;
}

} // namespace netsep::audit
