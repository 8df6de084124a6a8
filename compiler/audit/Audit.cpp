#include "audit/Audit.hpp"

#include "audit/AuditRule.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

namespace netsep::audit {

namespace {

using model::Endpoint;
using model::Proto;
using model::ZoneKind;

const std::set<std::string> kPurposes = {
    "vulnerability-assessment", "penetration-test", "port-scan", "security-saas",
    "threat-intelligence",      "patch-analysis"};

constexpr int kMaxValidityDays = 365;
constexpr int kExpiryWarningDays = 30;
constexpr int kScreeningMaxAgeDays = 184;

bool isAllow(const model::Rule& r) {
    return r.kind != model::RuleKind::Deny;
}

std::string lower(std::string s) {
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

class Auditor {
public:
    Auditor(const model::Policy& p, model::Date asOf, const PathOracle* paths)
        : p_(p), asOf_(asOf), paths_(paths) {}

    AuditResult run() {
        result_.asOf = asOf_;
        for (uint32_t i = 0; i < p_.rules.size(); ++i)
            if (p_.rules[i].exception)
                exception(i);
        for (uint32_t i = 0; i < p_.rules.size(); ++i)
            if (isAllow(p_.rules[i]))
                allowRule(i);
        zones();
        std::stable_sort(result_.findings.begin(), result_.findings.end(),
                         [](const Finding& a, const Finding& b) {
                             return std::tie(a.span.file, a.span.line, a.span.col, a.id) <
                                    std::tie(b.span.file, b.span.line, b.span.col, b.id);
                         });
        for (auto& st : result_.exceptions) {
            std::sort(st.ids.begin(), st.ids.end());
            st.ids.erase(std::unique(st.ids.begin(), st.ids.end()), st.ids.end());
        }
        result_.killSwitches = killSwitchStatus(p_, asOf_);
        return std::move(result_);
    }

private:
    void add(const char* id, SourceSpan span, std::string message,
             std::optional<uint32_t> rule = std::nullopt,
             std::optional<Severity> severity = std::nullopt) {
        const AuditRule* ar = findAuditRule(id);
        Severity sev = severity ? *severity : ar->severity;
        result_.findings.push_back({id, sev, std::move(message), span, rule});
        if (rule && current_ && current_->rule == *rule) {
            current_->ids.push_back(id);
            if (sev == Severity::Error)
                current_->verdict = ExceptionStatus::Verdict::Invalid;
            else if (current_->verdict == ExceptionStatus::Verdict::Valid)
                current_->verdict = ExceptionStatus::Verdict::Warning;
        }
    }

    std::optional<ZoneKind> kindOf(const Endpoint& e) const {
        auto z = p_.endpointZone(e);
        if (e.kind == Endpoint::Kind::Saas)
            return ZoneKind::Saas;
        if (!z)
            return std::nullopt;
        return p_.zones[*z].kind;
    }

    bool sensitiveSource(const Endpoint& e) const {
        auto k = kindOf(e);
        return k && (*k == ZoneKind::Internal || *k == ZoneKind::Datacenter || *k == ZoneKind::Rnd);
    }

    bool outside(const Endpoint& e) const {
        auto k = kindOf(e);
        return k && (*k == ZoneKind::Internet || *k == ZoneKind::Saas);
    }

    void exception(uint32_t idx) {
        const model::Rule& r = p_.rules[idx];
        const model::ExceptionInfo& x = *r.exception;
        const bool off = !x.killSwitch.empty() && p_.engagedSwitch(x.killSwitch);
        result_.exceptions.push_back({idx,
                                      ExceptionStatus::Verdict::Valid,
                                      {},
                                      x.expires - asOf_,
                                      model::inForce(r, asOf_) && !off,
                                      off});
        current_ = &result_.exceptions.back();
        const std::string& n = r.name;

        // AIX-001
        if (x.purpose.empty())
            add("AIX-001", r.span, "exception '" + n + "' states no purpose", idx);
        else if (!kPurposes.count(x.purpose))
            add("AIX-001", x.purposeSpan,
                "purpose '" + x.purpose + "' of exception '" + n +
                    "' is not a security purpose (vulnerability-assessment, penetration-test, "
                    "port-scan, security-saas, threat-intelligence, patch-analysis)",
                idx);
        // AIX-002
        if (!x.basis) {
            add("AIX-002", r.span, "exception '" + n + "' has no legal basis", idx);
        } else {
            const auto& b = *x.basis;
            bool missingId = b.kind != model::LegalBasis::Kind::SaasGeneral && b.id.empty();
            if (missingId)
                add("AIX-002", b.span, "the legal basis of exception '" + n + "' has an empty id",
                    idx);
            if (b.kind == model::LegalBasis::Kind::SaasGeneral)
                for (const auto& to : r.to)
                    if (to.kind != Endpoint::Kind::Saas) {
                        add("AIX-002", b.span,
                            "saas-general covers SaaS endpoints only; exception '" + n +
                                "' reaches '" + p_.endpointName(to) + "'",
                            idx);
                        break;
                    }
        }
        // AIX-003
        std::optional<model::Date> issued = x.basis ? x.basis->issued : std::nullopt;
        if (issued && x.expires - *issued > kMaxValidityDays)
            add("AIX-003", x.expiresSpan,
                "exception '" + n + "' runs " + std::to_string(x.expires - *issued) +
                    " days from issue (" + issued->str() + " to " + x.expires.str() +
                    "); relief lasts at most 365 days",
                idx);
        if (issued && x.expires < *issued)
            add("AIX-003", x.expiresSpan, "exception '" + n + "' expires before it is issued", idx);
        if (asOf_ > x.expires)
            add("AIX-003", x.expiresSpan,
                "exception '" + n + "' expired on " + x.expires.str() +
                    "; it is not emitted by any backend",
                idx, Severity::Warning);
        else if (issued && asOf_ < *issued)
            add("AIX-003", r.span,
                "exception '" + n + "' is not yet issued (" + issued->str() +
                    "); it is not emitted by any backend",
                idx, Severity::Warning);
        else if (x.expires - asOf_ <= kExpiryWarningDays)
            add("AIX-003", x.expiresSpan,
                "exception '" + n + "' expires in " + std::to_string(x.expires - asOf_) +
                    " day(s), on " + x.expires.str(),
                idx, Severity::Warning);
        // AIX-004
        if (r.toAny)
            add("AIX-004", r.toSpan, "exception '" + n + "' may reach any destination", idx);
        else
            for (const auto& to : r.to)
                destination(r, idx, to);
        // AIX-005
        services(r, idx);
        // AIX-006 (direct part; the path part needs the graph)
        for (const auto& from : r.from) {
            auto z = p_.endpointZone(from);
            if (!z)
                continue;
            const auto& zone = p_.zones[*z];
            bool dc = zone.kind && *zone.kind == ZoneKind::Datacenter;
            bool classified = zone.level && *zone.level == model::Level::Classified;
            if (dc || classified)
                add("AIX-006", r.fromSpan,
                    "exception '" + n + "' opens egress from '" + p_.endpointName(from) + "' in " +
                        (dc ? "datacenter" : "classified") + " zone '" + zone.name + "'",
                    idx);
            else if (paths_)
                if (std::string path = paths_->dataPathInto(from); !path.empty())
                    add("AIX-006", r.fromSpan,
                        "data from a datacenter/classified zone can reach exception source '" +
                            p_.endpointName(from) + "': " + path,
                        idx);
        }
        // AIX-007
        if (!r.identity)
            for (const auto& from : r.from)
                if (from.kind == Endpoint::Kind::Zone) {
                    add("AIX-007", r.fromSpan,
                        "exception '" + n + "' opens egress for the whole zone '" +
                            p_.endpointName(from) +
                            "'; name a group of security tools or an "
                            "identity",
                        idx);
                    break;
                }
        // AIX-008: screening of the destination saas
        for (const auto& to : r.to)
            if (to.kind == Endpoint::Kind::Saas) {
                const auto& s = p_.saas[to.index];
                if (!s.screeningRef || !s.screeningDate)
                    add("AIX-008", r.toSpan,
                        "saas endpoint '" + s.name +
                            "' has no screening reference with a date (FSI pre-screen)",
                        idx);
                else if (asOf_ - *s.screeningDate > kScreeningMaxAgeDays)
                    add("AIX-013", r.toSpan,
                        "screening " + *s.screeningRef + " of saas endpoint '" + s.name + "' is " +
                            std::to_string(asOf_ - *s.screeningDate) +
                            " days old; re-evaluate every 6 months (184 days)",
                        idx);
            }
        // AIX-009 / AIX-010 / AIX-011
        if (x.killSwitch.empty())
            add("AIX-009", r.span, "exception '" + n + "' belongs to no kill-switch group", idx);
        if (!r.log)
            add("AIX-010", r.span, "exception '" + n + "' is not logged; add 'log'", idx);
        if (x.approvedBy.empty())
            add("AIX-011", r.span, "exception '" + n + "' has no approved-by", idx);
        else if (lower(x.approvedBy).find("ciso") == std::string::npos)
            add("AIX-011", r.span,
                "exception '" + n + "' is approved by '" + x.approvedBy +
                    "', which does not name a CISO role",
                idx);
        // ZSG-006: the holder must not reach a target
        if (paths_)
            for (const auto& from : r.from)
                if (std::string path = paths_->lateralFrom(from); !path.empty())
                    add("ZSG-006", r.fromSpan,
                        "exception holder '" + p_.endpointName(from) +
                            "' has a lateral-movement path to a target: " + path,
                        idx);
        current_ = nullptr;
    }

    void destination(const model::Rule& r, uint32_t idx, const Endpoint& to) {
        const std::string& n = r.name;
        if (to.kind != Endpoint::Kind::Saas) {
            add("AIX-004", r.toSpan,
                "exception '" + n + "' reaches '" + p_.endpointName(to) +
                    "', which is not a declared saas endpoint",
                idx);
            return;
        }
        const auto& s = p_.saas[to.index];
        for (const auto& net : s.networks)
            if (net.len == 0)
                add("AIX-004", r.toSpan,
                    "saas endpoint '" + s.name + "' declares " + net.str() +
                        ", which is the whole internet",
                    idx);
        for (const auto& f : s.fqdns)
            if (f.find('*') != std::string::npos)
                add("AIX-004", r.toSpan,
                    "saas endpoint '" + s.name + "' uses wildcard FQDN '" + f + "'", idx);
    }

    void services(const model::Rule& r, uint32_t idx) {
        const std::string& n = r.name;
        if (r.serviceAny) {
            add("AIX-005", r.serviceSpan, "exception '" + n + "' allows every service", idx);
            return;
        }
        for (uint32_t s : r.services) {
            const auto& svc = p_.services[s];
            for (const auto& e : svc.entries) {
                if (e.proto != Proto::Tcp) {
                    add("AIX-005", r.serviceSpan,
                        "exception '" + n + "' allows " + model::protoName(e.proto) +
                            " (service '" + svc.name + "'); only TLS over TCP is allowed",
                        idx);
                } else if (e.ports.all()) {
                    add("AIX-005", r.serviceSpan,
                        "exception '" + n + "' allows every TCP port (service '" + svc.name + "')",
                        idx);
                } else if (!svc.tls && !(e.ports.lo == 443 && e.ports.hi == 443)) {
                    add("AIX-005", r.serviceSpan,
                        "exception '" + n + "' allows tcp/" + std::to_string(e.ports.lo) +
                            (e.ports.hi != e.ports.lo ? "-" + std::to_string(e.ports.hi) : "") +
                            " (service '" + svc.name + "'); only 443, or a service declared 'tls'",
                        idx);
                }
            }
        }
    }

    // Checks on every allow (access and exception).
    void allowRule(uint32_t idx) {
        const model::Rule& r = p_.rules[idx];
        const char* what = r.exception ? "exception" : "access";
        if (r.fromAny && r.toAny)
            add("ZSG-001", r.span,
                std::string(what) + " '" + r.name + "' allows from any zone to any zone", idx);
        // AIX-012: nothing is opened from the saas side inward.
        for (const auto& from : r.from)
            if (outside(from) && kindOf(from) == ZoneKind::Saas) {
                add("AIX-012", r.fromSpan,
                    std::string(what) + " '" + r.name + "' lets saas '" + p_.endpointName(from) +
                        "' open connections inward; exceptions are egress only",
                    idx);
                break;
            }
        // ZSG-004: internal -> internet/saas only through exceptions.
        if (!r.exception) {
            bool reported = false;
            for (const auto& from : r.from) {
                if (reported || !sensitiveSource(from))
                    continue;
                for (const auto& to : r.to)
                    if (outside(to)) {
                        add("ZSG-004", r.span,
                            "access '" + r.name + "' opens '" + p_.endpointName(from) + "' to '" +
                                p_.endpointName(to) +
                                "'; internal zones reach the internet or SaaS only through an "
                                "exception",
                            idx);
                        reported = true;
                        break;
                    }
            }
        }
        // ZSG-005: internet -> internal/datacenter only through a DMZ hop.
        if (auto inner = directFromInternet(r))
            add("ZSG-005", r.span,
                std::string(what) + " '" + r.name + "' lets the internet reach '" +
                    p_.endpointName(*inner) + "' directly; go through a dmz",
                idx);
        // ZSG-007: administrative services only from admin zones.
        if (std::string svc = adminService(r); !svc.empty())
            for (const auto& from : r.from) {
                auto k = kindOf(from);
                if (!k || *k != ZoneKind::Admin) {
                    add("ZSG-007", r.serviceSpan,
                        std::string(what) + " '" + r.name + "' allows administrative service " +
                            svc + " from '" + p_.endpointName(from) + "', not an admin zone",
                        idx);
                    break;
                }
            }
        // ZSG-008 (an exception's purpose and approval play this role: AIX-001/011)
        if (!r.exception && (r.justification.empty() || r.owner.empty()))
            add("ZSG-008", r.span,
                std::string(what) + " '" + r.name + "' has no " +
                    (r.justification.empty() && r.owner.empty() ? "justification or owner"
                     : r.justification.empty()                  ? "justification"
                                                                : "owner"),
                idx);
    }

    // An inner destination the rule opens straight from an internet zone.
    std::optional<Endpoint> directFromInternet(const model::Rule& r) const {
        for (const auto& from : r.from) {
            auto fk = kindOf(from);
            if (!fk || *fk != ZoneKind::Internet)
                continue;
            for (const auto& to : r.to) {
                auto tk = kindOf(to);
                if (tk &&
                    (*tk == ZoneKind::Internal || *tk == ZoneKind::Datacenter ||
                     *tk == ZoneKind::Rnd || *tk == ZoneKind::Devtest || *tk == ZoneKind::Admin))
                    return to;
            }
        }
        return std::nullopt;
    }

    // The first administrative port the rule allows, as text, or "".
    std::string adminService(const model::Rule& r) const {
        struct Admin {
            Proto proto;
            uint16_t port;
            const char* name;
        };
        static const Admin admin[] = {
            {Proto::Tcp, 22, "ssh (tcp/22)"},       {Proto::Tcp, 23, "telnet (tcp/23)"},
            {Proto::Tcp, 3389, "rdp (tcp/3389)"},   {Proto::Tcp, 5985, "winrm (tcp/5985)"},
            {Proto::Tcp, 5986, "winrm (tcp/5986)"}, {Proto::Udp, 161, "snmp (udp/161)"},
            {Proto::Tcp, 161, "snmp (tcp/161)"}};
        if (r.serviceAny)
            return "any (including ssh, rdp, snmp, telnet)";
        for (const auto& a : admin)
            for (uint32_t s : r.services)
                for (const auto& e : p_.services[s].entries)
                    if (e.proto == a.proto && e.ports.lo <= a.port && a.port <= e.ports.hi)
                        return a.name;
        return {};
    }

    void zones() {
        for (uint32_t z = 0; z < p_.zones.size(); ++z) {
            const auto& zone = p_.zones[z];
            if (!zone.kind || !zone.level)
                add("ZSG-002", zone.span,
                    "zone '" + zone.name + "' declares no " +
                        (!zone.kind && !zone.level ? "kind or level"
                         : !zone.kind              ? "kind"
                                                   : "level"));
            if (!paths_ || !zone.kind)
                continue;
            if (*zone.kind == ZoneKind::Datacenter)
                if (std::string path = paths_->exfiltrationWithoutException(z); !path.empty())
                    add("ZSG-003", zone.span,
                        "datacenter zone '" + zone.name +
                            "' reaches the outside without an exception: " + path);
            if (*zone.kind == ZoneKind::Rnd || *zone.kind == ZoneKind::Devtest)
                if (std::string path = paths_->pathIntoDatacenter(z); !path.empty())
                    add("ZSG-009", zone.span,
                        std::string(model::zoneKindName(*zone.kind)) + " zone '" + zone.name +
                            "' has a path into a datacenter zone: " + path);
        }
    }

    const model::Policy& p_;
    model::Date asOf_;
    const PathOracle* paths_;
    AuditResult result_;
    ExceptionStatus* current_ = nullptr;
};

} // namespace

AuditResult runAudit(const model::Policy& policy, model::Date asOf, const PathOracle* paths) {
    return Auditor(policy, asOf, paths).run();
}

void reportAudit(const AuditResult& result, DiagnosticEngine& diags) {
    for (const auto& f : result.findings)
        diags.report({f.severity, f.id, f.message, f.span, {}});
    for (const auto& k : result.killSwitches) {
        if (k.days < 0)
            diags.warning("W507", k.span,
                          "kill-switch group '" + k.group + "' is recorded as engaged since " +
                              k.since.str() + ", after the as-of date " + result.asOf.str());
        if (k.undecided)
            diags.warning("W506", k.span,
                          "kill-switch group '" + k.group + "' has been engaged for " +
                              std::to_string(k.days) + " days (since " + k.since.str() +
                              ", ticket " + k.ticket + "; more than " +
                              std::to_string(kKillSwitchDecisionDays) + ") and " +
                              std::to_string(k.exceptionsInForce) +
                              " of its exceptions still run until they expire: decide: release "
                              "it (remove this statement) or retire the exceptions");
    }
}

} // namespace netsep::audit
