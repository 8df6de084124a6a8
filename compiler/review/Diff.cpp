#include "review/Diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace netsep::review {

namespace {

std::vector<std::string> endpointNames(const model::Policy& p,
                                       const std::vector<model::Endpoint>& es, bool any) {
    if (any)
        return {"any"};
    std::vector<std::string> out;
    for (const auto& e : es)
        out.push_back(p.endpointName(e));
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> serviceNames(const model::Policy& p, const model::Rule& r) {
    if (r.serviceAny)
        return {"any"};
    std::vector<std::string> out;
    for (uint32_t s : r.services)
        out.push_back(p.services[s].name);
    std::sort(out.begin(), out.end());
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    return fmt::format("{}", fmt::join(v, ", "));
}

analysis::ServiceSpace ruleSpace(const model::Policy& p, const model::Rule& r) {
    if (r.serviceAny)
        return analysis::ServiceSpace::all();
    analysis::ServiceSpace s;
    for (uint32_t i : r.services)
        s = s.unite(analysis::ServiceSpace::of(p.services[i]));
    return s;
}

std::string basisText(const model::ExceptionInfo& x) {
    if (!x.basis)
        return "none";
    const auto& b = *x.basis;
    std::string out = b.kind == model::LegalBasis::Kind::NoActionLetter ? "no-action-letter"
                      : b.kind == model::LegalBasis::Kind::Sandbox      ? "sandbox"
                                                                        : "saas-general";
    if (!b.id.empty())
        out += " \"" + b.id + "\"";
    if (b.issued)
        out += " issued " + b.issued->str();
    return out;
}

std::string summary(const model::Policy& p, const model::Rule& r) {
    const auto& x = *r.exception;
    std::string out =
        fmt::format("{} -> {} service {}", joined(endpointNames(p, r.from, r.fromAny)),
                    joined(endpointNames(p, r.to, r.toAny)), joined(serviceNames(p, r)));
    if (r.identity)
        out += " as " + p.identities[*r.identity].name;
    out += ", purpose " + (x.purpose.empty() ? std::string("(none)") : x.purpose);
    out += ", basis " + basisText(x);
    out += ", expires " + x.expires.str();
    out += ", kill-switch " + (x.killSwitch.empty() ? std::string("(none)") : x.killSwitch);
    return out;
}

const audit::ExceptionStatus* statusOf(const audit::AuditResult& a, uint32_t rule) {
    for (const auto& s : a.exceptions)
        if (s.rule == rule)
            return &s;
    return nullptr;
}

bool includes(const std::vector<std::string>& wide, const std::vector<std::string>& narrow) {
    if (std::find(wide.begin(), wide.end(), "any") != wide.end())
        return true;
    return std::includes(wide.begin(), wide.end(), narrow.begin(), narrow.end());
}

void diffExceptions(const PolicyVersion& a, const PolicyVersion& b, PolicyDiff& out) {
    std::map<std::string, uint32_t> ia, ib;
    for (uint32_t i = 0; i < a.policy.rules.size(); ++i)
        if (a.policy.rules[i].kind == model::RuleKind::Exception)
            ia[a.policy.rules[i].name] = i;
    for (uint32_t i = 0; i < b.policy.rules.size(); ++i)
        if (b.policy.rules[i].kind == model::RuleKind::Exception)
            ib[b.policy.rules[i].name] = i;
    auto fill = [&](ExceptionChange& c, const PolicyVersion* va, const uint32_t* ra,
                    const PolicyVersion* vb, const uint32_t* rb) {
        if (va) {
            const model::Rule& r = va->policy.rules[*ra];
            c.whereOld = va->sources.where(r.span);
            c.inForceOld = model::inForce(r, out.asOf);
            if (auto* s = statusOf(va->audit, *ra)) {
                c.verdictOld = audit::verdictName(s->verdict);
                c.idsOld = s->ids;
            }
            c.summary = summary(va->policy, r);
        }
        if (vb) {
            const model::Rule& r = vb->policy.rules[*rb];
            c.whereNew = vb->sources.where(r.span);
            c.inForceNew = model::inForce(r, out.asOf);
            if (auto* s = statusOf(vb->audit, *rb)) {
                c.verdictNew = audit::verdictName(s->verdict);
                c.idsNew = s->ids;
            }
            c.summary = summary(vb->policy, r);
        }
    };
    for (const auto& [name, rb] : ib) {
        ExceptionChange c;
        c.name = name;
        auto it = ia.find(name);
        if (it == ia.end()) {
            c.kind = ExceptionChange::Kind::Added;
            c.widened = true;
            fill(c, nullptr, nullptr, &b, &rb);
            out.exceptions.push_back(std::move(c));
            continue;
        }
        const model::Rule& ra = a.policy.rules[it->second];
        const model::Rule& rn = b.policy.rules[rb];
        const auto& xa = *ra.exception;
        const auto& xb = *rn.exception;
        c.kind = ExceptionChange::Kind::Changed;
        auto field = [&](const char* f, const std::string& x, const std::string& y) {
            if (x != y)
                c.fields.push_back({f, x, y});
        };
        const auto fa = endpointNames(a.policy, ra.from, ra.fromAny);
        const auto fb = endpointNames(b.policy, rn.from, rn.fromAny);
        const auto ta = endpointNames(a.policy, ra.to, ra.toAny);
        const auto tb = endpointNames(b.policy, rn.to, rn.toAny);
        const auto sa = serviceNames(a.policy, ra);
        const auto sb = serviceNames(b.policy, rn);
        field("from", joined(fa), joined(fb));
        field("to", joined(ta), joined(tb));
        field("service", joined(sa), joined(sb));
        field("identity", ra.identity ? a.policy.identities[*ra.identity].name : "",
              rn.identity ? b.policy.identities[*rn.identity].name : "");
        field("purpose", xa.purpose, xb.purpose);
        field("basis", basisText(xa), basisText(xb));
        field("expires", xa.expires.str(), xb.expires.str());
        field("approved-by", xa.approvedBy, xb.approvedBy);
        field("kill-switch", xa.killSwitch, xb.killSwitch);
        field("log", ra.log ? "yes" : "no", rn.log ? "yes" : "no");
        // Wider: reaches more hosts or services, or for longer.
        const bool moreServices = !ruleSpace(b.policy, rn).subsetOf(ruleSpace(a.policy, ra));
        const auto issuedA = xa.basis && xa.basis->issued ? xa.basis->issued->days : INT32_MIN;
        const auto issuedB = xb.basis && xb.basis->issued ? xb.basis->issued->days : INT32_MIN;
        c.widened = !includes(fa, fb) || !includes(ta, tb) || moreServices ||
                    xb.expires > xa.expires || issuedB < issuedA || (ra.identity && !rn.identity);
        fill(c, &a, &it->second, &b, &rb);
        const bool verdictChanged =
            c.verdictOld != c.verdictNew || c.idsOld != c.idsNew || c.inForceOld != c.inForceNew;
        if (!c.fields.empty() || verdictChanged)
            out.exceptions.push_back(std::move(c));
    }
    for (const auto& [name, ra] : ia)
        if (!ib.count(name)) {
            ExceptionChange c;
            c.kind = ExceptionChange::Kind::Removed;
            c.name = name;
            fill(c, &a, &ra, nullptr, nullptr);
            out.exceptions.push_back(std::move(c));
        }
}

} // namespace

PolicyDiff diffPolicies(const PolicyVersion& before, const PolicyVersion& after, model::Date asOf) {
    PolicyDiff d;
    d.oldLabel = before.label;
    d.newLabel = after.label;
    d.asOf = asOf;
    diffReachability(before, after, d);
    d.findings = diffFindings(collectFindings(before.policy, before.analysis, before.audit),
                              collectFindings(after.policy, after.analysis, after.audit));
    diffExceptions(before, after, d);
    diffFirewalls(before, after, asOf, d);
    std::set<std::string> targets;
    for (const auto& rc : d.opened)
        targets.insert(rc.targets.begin(), rc.targets.end());
    for (const auto& t : targets)
        d.approvalReasons.push_back("opens new access into zone " + t +
                                    " (crown-jewel, classified or datacenter)");
    for (const auto& x : d.exceptions) {
        if (x.kind == ExceptionChange::Kind::Added)
            d.approvalReasons.push_back("adds exception " + x.name);
        else if (x.kind == ExceptionChange::Kind::Changed && x.widened)
            d.approvalReasons.push_back("widens exception " + x.name);
    }
    return d;
}

} // namespace netsep::review
