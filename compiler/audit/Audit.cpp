#include "audit/Audit.hpp"

#include "audit/AuditRule.hpp"

#include <algorithm>
#include <cctype>
#include <map>
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

constexpr int kExpiryWarningDays = 30;
constexpr int kScreeningMaxAgeDays = 184;

// The last day an exception may be in force: its expiry, or the lapse of
// its basis if that comes first.
model::Date effectiveEnd(const model::ExceptionInfo& x) {
    return x.validUntil ? std::min(x.expires, *x.validUntil) : x.expires;
}

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
        letters();
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
                                      effectiveEnd(x) - asOf_,
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
        validity(r, idx);
        if (x.letter)
            letterScope(r, idx, p_.letters[*x.letter]);
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

    // AIX-003 (and AIX-018 for a declared letter): the exception's period
    // inside its basis's, and its state on the as-of date.
    void validity(const model::Rule& r, uint32_t idx) {
        const model::ExceptionInfo& x = *r.exception;
        const std::string& n = r.name;
        if (!x.basis)
            return; // AIX-002
        const model::LegalBasis& b = *x.basis;
        if (x.letter) {
            const model::Letter& l = p_.letters[*x.letter];
            if (l.expires && x.expires > *l.expires)
                add("AIX-018", x.expiresSpan,
                    "exception '" + n + "' expires on " + x.expires.str() + ", after letter '" +
                        l.id + "' lapses (" + l.expires->str() + ")",
                    idx);
        } else if (!x.validFrom) {
            if (b.kind == model::LegalBasis::Kind::Sandbox)
                add("AIX-003", b.span,
                    "exception '" + n + "' rests on sandbox designation '" + b.id +
                        "' without an issue date, so it has no start and no end; write 'issued "
                        "DATE' or declare the designation as a letter",
                    idx);
            else if (b.kind == model::LegalBasis::Kind::SaasGeneral)
                add("AIX-003", b.span,
                    "exception '" + n +
                        "' rests on the general SaaS exception, which starts at the FSI "
                        "screening of the endpoints it reaches, and one of them has no screening "
                        "date; declare the evaluation record as a letter of kind saas-general",
                    idx);
            return;
        } else {
            model::LetterKind kind = b.kind == model::LegalBasis::Kind::Sandbox
                                         ? model::LetterKind::Sandbox
                                     : b.kind == model::LegalBasis::Kind::SaasGeneral
                                         ? model::LetterKind::SaasGeneral
                                         : model::LetterKind::NoActionLetter;
            int days = x.expires - *x.validFrom;
            if (days > model::maxBasisDays(kind))
                add("AIX-003", x.expiresSpan,
                    "exception '" + n + "' runs " + std::to_string(days) + " days from " +
                        (kind == model::LetterKind::SaasGeneral ? "its FSI screening" : "issue") +
                        " (" + x.validFrom->str() + " to " + x.expires.str() + "); a " +
                        kindText(kind) + " lasts at most " +
                        std::to_string(model::maxBasisDays(kind)) + " days",
                    idx);
        }
        if (x.validFrom && x.expires < *x.validFrom) {
            add("AIX-003", x.expiresSpan,
                "exception '" + n + "' expires before its basis starts (" + x.validFrom->str() +
                    ")",
                idx);
            return;
        }
        if (!x.validFrom)
            return; // a letter without an issue date (E203)
        model::Date end = effectiveEnd(x);
        if (asOf_ > end)
            add("AIX-003", x.expiresSpan,
                "exception '" + n + "' expired on " + end.str() +
                    (end < x.expires ? " (its basis lapsed)" : "") +
                    "; it is not emitted by any backend",
                idx, Severity::Warning);
        else if (asOf_ < *x.validFrom)
            add("AIX-003", r.span,
                "exception '" + n + "' is not yet in force (its basis starts " +
                    x.validFrom->str() + "); it is not emitted by any backend",
                idx, Severity::Warning);
        else if (end - asOf_ <= kExpiryWarningDays)
            add("AIX-003", x.expiresSpan,
                "exception '" + n + "' expires in " + std::to_string(end - asOf_) + " day(s), on " +
                    end.str(),
                idx, Severity::Warning);
    }

    static std::string kindText(model::LetterKind k) {
        switch (k) {
        case model::LetterKind::NoActionLetter:
            return "no-action letter";
        case model::LetterKind::Sandbox:
            return "sandbox designation";
        case model::LetterKind::SaasGeneral:
            return "general SaaS exception (to the next 6-monthly evaluation)";
        }
        return "basis";
    }

    // AIX-014: purpose, sources, destinations and services inside the scope
    // of the letter the exception rests on.
    void letterScope(const model::Rule& r, uint32_t idx, const model::Letter& l) {
        if (!l.scope)
            return; // E203
        const model::LetterScope& sc = *l.scope;
        const std::string& n = r.name;
        const model::ExceptionInfo& x = *r.exception;
        std::vector<std::string> outside;
        if (!x.purpose.empty() &&
            std::find(sc.purposes.begin(), sc.purposes.end(), x.purpose) == sc.purposes.end())
            outside.push_back("purpose " + x.purpose);
        if (r.fromAny)
            outside.push_back("source any");
        else
            for (const auto& from : r.from)
                if (!sourceInScope(from, sc))
                    outside.push_back("source " + p_.endpointName(from));
        if (r.toAny)
            outside.push_back("destination any");
        else
            for (const auto& to : r.to)
                if (!destinationInScope(to, sc))
                    outside.push_back(
                        "destination " + p_.endpointName(to) +
                        (to.kind == Endpoint::Kind::Saas && !p_.saas[to.index].provider.empty()
                             ? " (" + p_.saas[to.index].provider + ")"
                             : std::string()));
        if (!sc.services.empty()) {
            if (r.serviceAny)
                outside.push_back("service any");
            else
                for (uint32_t s : r.services)
                    if (!serviceInScope(s, sc))
                        outside.push_back("service " + p_.services[s].name);
        }
        if (outside.empty())
            return;
        std::string list;
        for (const auto& o : outside)
            list += (list.empty() ? "" : ", ") + o;
        add("AIX-014", x.basis ? x.basis->span : r.span,
            "exception '" + n + "' is outside the scope of letter '" + l.id + "': " + list, idx);
    }

    bool sourceInScope(const Endpoint& e, const model::LetterScope& sc) const {
        for (const auto& s : sc.from) {
            if (s == e)
                return true;
            if (s.kind == Endpoint::Kind::Zone && e.kind == Endpoint::Kind::Group &&
                p_.groups[e.index].zone == s.index)
                return true;
        }
        return false;
    }

    bool destinationInScope(const Endpoint& e, const model::LetterScope& sc) const {
        if (std::find(sc.to.begin(), sc.to.end(), e) != sc.to.end())
            return true;
        if (e.kind != Endpoint::Kind::Saas)
            return false;
        std::string provider = lower(p_.saas[e.index].provider);
        for (const auto& pr : sc.providers)
            if (!provider.empty() && lower(pr) == provider)
                return true;
        return false;
    }

    // Every entry of the service is inside some entry of the scope's services.
    bool serviceInScope(uint32_t s, const model::LetterScope& sc) const {
        for (const auto& e : p_.services[s].entries) {
            bool covered = false;
            for (uint32_t t : sc.services)
                for (const auto& f : p_.services[t].entries)
                    covered = covered || (f.proto == e.proto && f.ports.lo <= e.ports.lo &&
                                          e.ports.hi <= f.ports.hi &&
                                          (f.icmpType < 0 || f.icmpType == e.icmpType));
            if (!covered)
                return false;
        }
        return true;
    }

    // AIX-015/016: every declared letter; AIX-017: letter ids shared by
    // exceptions without a declared scope, or contradicting the declaration.
    void letters() {
        std::vector<std::vector<uint32_t>> users(p_.letters.size());
        for (uint32_t i = 0; i < p_.rules.size(); ++i)
            if (p_.rules[i].exception && p_.rules[i].exception->letter)
                users[*p_.rules[i].exception->letter].push_back(i);
        for (uint32_t li = 0; li < p_.letters.size(); ++li) {
            const model::Letter& l = p_.letters[li];
            if (!l.issued || !l.expires)
                continue; // E203
            size_t before = result_.findings.size();
            int days = *l.expires - *l.issued;
            if (days < 0)
                add("AIX-016", l.expiresSpan, "letter '" + l.id + "' expires before it is issued");
            else if (days > model::maxBasisDays(l.kind))
                add("AIX-016", l.expiresSpan,
                    "letter '" + l.id + "' runs " + std::to_string(days) + " days (" +
                        l.issued->str() + " to " + l.expires->str() + "); a " + kindText(l.kind) +
                        " lasts at most " + std::to_string(model::maxBasisDays(l.kind)) + " days");
            if (auto regime = model::regimeStart(l.kind); regime && *l.issued < *regime)
                add("AIX-016", l.issuedSpan,
                    "letter '" + l.id + "' is dated " + l.issued->str() +
                        ", before the general SaaS exception took effect (" + regime->str() + ")");
            if (users[li].empty())
                continue;
            std::string names = exceptionNames(users[li]);
            if (asOf_ > *l.expires)
                add("AIX-015", l.span,
                    "letter '" + l.id + "' lapsed on " + l.expires->str() +
                        ": no backend emits what rests on it (" + names + ")");
            else if (asOf_ < *l.issued)
                add("AIX-015", l.span,
                    "letter '" + l.id + "' is not issued until " + l.issued->str() +
                        ": no backend emits what rests on it (" + names + ")");
            // The exceptions resting on a faulty letter share its verdict.
            for (size_t f = before; f < result_.findings.size(); ++f)
                for (uint32_t rule : users[li])
                    mark(rule, result_.findings[f].id, result_.findings[f].severity);
        }
        reusedIds();
    }

    std::string exceptionNames(const std::vector<uint32_t>& rules) const {
        std::string out;
        for (size_t i = 0; i < rules.size() && i < 5; ++i)
            out += (out.empty() ? "" : ", ") + ("'" + p_.rules[rules[i]].name + "'");
        if (rules.size() > 5)
            out += " and " + std::to_string(rules.size() - 5) + " more";
        return (rules.size() == 1 ? "exception " : "exceptions ") + out;
    }

    // What an exception covers, for comparing exceptions that share an
    // undeclared letter id: purpose, sources, destinations.
    std::string scopeKey(const model::Rule& r) const {
        std::vector<std::string> from, to;
        for (const auto& e : r.from)
            from.push_back(p_.endpointName(e));
        for (const auto& e : r.to)
            to.push_back(p_.endpointName(e));
        std::sort(from.begin(), from.end());
        std::sort(to.begin(), to.end());
        std::string key =
            "purpose " + (r.exception->purpose.empty() ? "(none)" : r.exception->purpose);
        key += "; from " + (r.fromAny ? std::string("any") : joinNames(from));
        key += "; to " + (r.toAny ? std::string("any") : joinNames(to));
        return key;
    }

    static std::string joinNames(const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v)
            out += (out.empty() ? "" : ", ") + s;
        return out;
    }

    void reusedIds() {
        // Inline ids (deprecated form) without a declaration: the first
        // exception fixes what the id covers; others must match it.
        std::map<std::string, uint32_t> first;
        for (uint32_t i = 0; i < p_.rules.size(); ++i) {
            const model::Rule& r = p_.rules[i];
            if (!r.exception || !r.exception->basis)
                continue;
            const model::LegalBasis& b = *r.exception->basis;
            if (b.kind == model::LegalBasis::Kind::Letter ||
                b.kind == model::LegalBasis::Kind::SaasGeneral || b.id.empty())
                continue;
            current_ = statusOf(i);
            if (r.exception->letter) {
                const model::Letter& l = p_.letters[*r.exception->letter];
                bool kindDiffers = (b.kind == model::LegalBasis::Kind::Sandbox) !=
                                       (l.kind == model::LetterKind::Sandbox) ||
                                   l.kind == model::LetterKind::SaasGeneral;
                if (kindDiffers)
                    add("AIX-017", b.span,
                        "exception '" + r.name + "' cites '" + b.id + "' as a " +
                            (b.kind == model::LegalBasis::Kind::Sandbox ? "sandbox designation"
                                                                        : "no-action letter") +
                            ", but letter '" + l.id + "' is declared as " +
                            model::letterKindName(l.kind),
                        i);
                if (b.issued && l.issued && *b.issued != *l.issued)
                    add("AIX-017", b.span,
                        "exception '" + r.name + "' cites letter '" + b.id + "' as issued " +
                            b.issued->str() + ", but the letter is declared issued " +
                            l.issued->str(),
                        i);
                current_ = nullptr;
                continue;
            }
            auto [it, fresh] = first.emplace(b.id, i);
            if (!fresh) {
                const model::Rule& o = p_.rules[it->second];
                std::string mine = scopeKey(r), theirs = scopeKey(o);
                if (mine != theirs)
                    add("AIX-017", b.span,
                        "letter id '" + b.id + "' is also the basis of exception '" + o.name +
                            "' (" + theirs + "), but exception '" + r.name + "' uses it for " +
                            mine + "; one letter cannot cover both: declare letter \"" + b.id +
                            "\" with its scope",
                        i);
                const auto& ob = *o.exception->basis;
                if (ob.issued && b.issued && *ob.issued != *b.issued)
                    add("AIX-017", b.span,
                        "letter id '" + b.id + "' is cited as issued " + b.issued->str() +
                            " here and " + ob.issued->str() + " by exception '" + o.name + "'",
                        i);
            }
            current_ = nullptr;
        }
    }

    void mark(uint32_t rule, const std::string& id, Severity sev) {
        ExceptionStatus* st = statusOf(rule);
        if (!st)
            return;
        st->ids.push_back(id);
        if (sev == Severity::Error)
            st->verdict = ExceptionStatus::Verdict::Invalid;
        else if (st->verdict == ExceptionStatus::Verdict::Valid)
            st->verdict = ExceptionStatus::Verdict::Warning;
    }

    ExceptionStatus* statusOf(uint32_t rule) {
        if (statusIndex_.empty()) {
            statusIndex_.assign(p_.rules.size(), UINT32_MAX);
            for (uint32_t k = 0; k < result_.exceptions.size(); ++k)
                statusIndex_[result_.exceptions[k].rule] = k;
        }
        uint32_t k = statusIndex_[rule];
        return k == UINT32_MAX ? nullptr : &result_.exceptions[k];
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
    std::vector<uint32_t> statusIndex_; // rule -> index into result_.exceptions
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

const char* verdictName(ExceptionStatus::Verdict v) {
    switch (v) {
    case ExceptionStatus::Verdict::Valid:
        return "valid";
    case ExceptionStatus::Verdict::Warning:
        return "warning";
    case ExceptionStatus::Verdict::Invalid:
        return "invalid";
    }
    return "invalid";
}

} // namespace netsep::audit
