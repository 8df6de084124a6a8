// The per-firewall part of `netsep diff`: the lowered rules each firewall's
// backends print, keyed by what they are (zone pair, policy rule, address
// objects, protocol) rather than by their text, so comment and line churn,
// statement order and the backends' own naming never show.
#include "review/Diff.hpp"

#include "lower/ExplicitAddresses.hpp"
#include "lower/Lowering.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace netsep::review {

namespace {

std::string matchText(const lower::Match& m) {
    std::string out = model::protoName(m.proto);
    std::vector<std::string> items;
    for (const auto& r : m.ports)
        items.push_back(r.lo == r.hi ? fmt::format("{}", r.lo) : fmt::format("{}-{}", r.lo, r.hi));
    for (size_t i = 0; i < m.icmpTypes.size(); ++i)
        items.push_back(m.icmpNames.size() > i && !m.icmpNames[i].empty()
                            ? m.icmpNames[i]
                            : std::to_string(m.icmpTypes[i]));
    if (!items.empty())
        out += "/" + fmt::format("{}", fmt::join(items, ","));
    return out;
}

const char* kindText(model::RuleKind k) {
    return k == model::RuleKind::Deny        ? "deny"
           : k == model::RuleKind::Exception ? "exception"
                                             : "access";
}

struct Keyed {
    std::string fromZone, toZone, text;
    RuleRef rule;
    std::string what, objects;
};

// (zone pair, policy rule, objects, protocol, action) -> the rest, as text.
std::map<std::string, Keyed> keyed(const lower::LoweredFirewall& fw) {
    std::map<std::string, Keyed> out;
    for (const auto& pair : fw.pairs)
        for (const auto& r : pair.rules) {
            const std::string& src = fw.objects[r.src].name;
            const std::string& dst = fw.objects[r.dst].name;
            std::string key =
                fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", pair.fromZone, pair.toZone,
                            r.policyRule, src, dst, model::protoName(r.match.proto), int(r.action));
            std::vector<std::string> attrs{std::string(kindText(r.kind)) + " " + r.policyRule};
            if (!r.identity.empty())
                attrs.push_back("identity " + r.identity);
            if (!r.killSwitch.empty())
                attrs.push_back("kill-switch " + r.killSwitch);
            if (r.log)
                attrs.push_back("log");
            std::string fam = r.v4 && r.v6 ? "" : r.v4 ? " ipv4" : r.v6 ? " ipv6" : " fqdn";
            const char* action = r.action == lower::Action::Accept ? "accept" : "drop";
            std::string text = fmt::format("{} {} -> {} {}{} ({})", action, src, dst,
                                           matchText(r.match), fam, fmt::join(attrs, ", "));
            std::string what = fmt::format("{} {}{} ({})", action, matchText(r.match), fam,
                                           fmt::join(attrs, ", "));
            out[key] = {pair.fromZone,   pair.toZone,
                        std::move(text), {r.policyRule, r.where, r.kind, {}},
                        std::move(what), src + " -> " + dst};
        }
    return out;
}

std::string objectText(const lower::AddressObject& o) {
    std::vector<std::string> items;
    for (const auto& p : o.v4)
        items.push_back(p.str());
    for (const auto& p : o.v6)
        items.push_back(p.str());
    for (const auto& f : o.fqdns)
        items.push_back(f);
    return fmt::format("{}", fmt::join(items, " "));
}

std::set<std::string> objectItems(const lower::AddressObject& o) {
    std::set<std::string> items;
    for (const auto& p : o.v4)
        items.insert(p.str());
    for (const auto& p : o.v6)
        items.insert(p.str());
    for (const auto& f : o.fqdns)
        items.insert(f);
    return items;
}

std::string listed(const std::vector<std::string>& v, size_t max = 6) {
    std::string out;
    for (size_t i = 0; i < v.size() && i < max; ++i)
        out += (i ? " " : "") + v[i];
    if (v.size() > max)
        out += fmt::format(" ... ({} in all)", v.size());
    return out;
}

void diffOne(const lower::LoweredFirewall* a, const lower::LoweredFirewall* b, FirewallChange& c) {
    static const lower::LoweredFirewall none;
    const lower::LoweredFirewall& before = a ? *a : none;
    const lower::LoweredFirewall& after = b ? *b : none;
    c.added = !a;
    c.removed = !b;
    c.backends = b ? after.backends : before.backends;
    for (const auto& x : after.backends)
        if (a &&
            std::find(before.backends.begin(), before.backends.end(), x) == before.backends.end())
            c.backendsAdded.push_back(x);
    for (const auto& x : before.backends)
        if (b && std::find(after.backends.begin(), after.backends.end(), x) == after.backends.end())
            c.backendsRemoved.push_back(x);
    std::set<std::pair<std::string, std::string>> ia, ib;
    for (const auto& i : before.interfaces)
        ia.insert({i.name, i.zone});
    for (const auto& i : after.interfaces)
        ib.insert({i.name, i.zone});
    for (const auto& [n, z] : ib)
        if (!ia.count({n, z}))
            c.interfaceChanges.push_back("+ interface " + n + " zone " + z);
    for (const auto& [n, z] : ia)
        if (!ib.count({n, z}))
            c.interfaceChanges.push_back("- interface " + n + " zone " + z);

    auto ka = keyed(before), kb = keyed(after);
    for (const auto& [k, r] : kb) {
        auto it = ka.find(k);
        if (it == ka.end())
            c.rules.push_back({LoweredRuleChange::Kind::Added, r.fromZone, r.toZone, r.text, "",
                               r.rule, r.what, r.objects});
        else if (it->second.text != r.text)
            c.rules.push_back({LoweredRuleChange::Kind::Changed, r.fromZone, r.toZone, r.text,
                               it->second.text, r.rule, r.what, r.objects});
    }
    for (const auto& [k, r] : ka)
        if (!kb.count(k))
            c.rules.push_back({LoweredRuleChange::Kind::Removed, r.fromZone, r.toZone, r.text, "",
                               r.rule, r.what, r.objects});

    // Address objects used on both sides whose addresses changed (a zone's
    // networks, a re-carved internet): rules keep their key, traffic moves.
    std::map<std::string, const lower::AddressObject*> oa;
    for (const auto& o : before.objects)
        oa[o.name] = &o;
    for (const auto& o : after.objects) {
        auto it = oa.find(o.name);
        if (it == oa.end() || objectText(*it->second) == objectText(o))
            continue;
        auto was = objectItems(*it->second), now = objectItems(o);
        std::vector<std::string> plus, minus;
        for (const auto& x : now)
            if (!was.count(x))
                plus.push_back(x);
        for (const auto& x : was)
            if (!now.count(x))
                minus.push_back(x);
        std::string text = "address object " + o.name + ":";
        if (!plus.empty())
            text += " + " + listed(plus);
        if (!minus.empty())
            text += " - " + listed(minus);
        c.objectChanges.push_back(std::move(text));
    }
}

} // namespace

void diffFirewalls(const PolicyVersion& before, const PolicyVersion& after, model::Date asOf,
                   PolicyDiff& out) {
    // Address objects are compared as prefix lists: the catch-all zone
    // listed out (lower::ExplicitAddresses), so a re-carved internet shows.
    auto listedOut = [](std::vector<lower::LoweredFirewall> fws) {
        for (auto& f : fws)
            f = lower::ExplicitAddresses(f).firewall();
        return fws;
    };
    const auto la = listedOut(lower::lowerPolicy(before.policy, before.sources, {asOf, {}, 0}));
    const auto lb = listedOut(lower::lowerPolicy(after.policy, after.sources, {asOf, {}, 0}));
    std::map<std::string, std::pair<const lower::LoweredFirewall*, const lower::LoweredFirewall*>>
        byName;
    for (const auto& f : la)
        byName[f.name].first = &f;
    for (const auto& f : lb)
        byName[f.name].second = &f;
    // In NEW's order, then removed ones in OLD's.
    std::vector<std::string> order;
    for (const auto& f : lb)
        order.push_back(f.name);
    for (const auto& f : la)
        if (!byName[f.name].second)
            order.push_back(f.name);
    for (const auto& name : order) {
        FirewallChange c;
        c.name = name;
        diffOne(byName[name].first, byName[name].second, c);
        auto rank = [](const LoweredRuleChange& r) { return std::tie(r.fromZone, r.toZone); };
        std::stable_sort(c.rules.begin(), c.rules.end(),
                         [&](const auto& x, const auto& y) { return rank(x) < rank(y); });
        if (!c.empty())
            out.firewalls.push_back(std::move(c));
    }
}

} // namespace netsep::review
