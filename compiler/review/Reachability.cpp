// The reachability delta of `netsep diff`: which services newly reach
// between which hosts. Addresses are split into classes whose owners (zone,
// groups, saas endpoint) are the same in both versions, so a zone split or a
// re-carved internet is compared address by address; a class pair's allowed
// services are what a firewall does with them: the union of the allowing
// rules (access, and exceptions in force) minus the union of the denies.
#include "review/Diff.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace netsep::review {

namespace {

using analysis::ServiceSpace;
using analysis::SpaceTable;
using model::Endpoint;
using model::Family;
using model::u128;

constexpr uint32_t kNone = UINT32_MAX;

// The owners of one class in one version.
struct Side {
    uint32_t zone = kNone; // kNone: no zone (a saas endpoint, or unowned)
    uint32_t saas = kNone;
    std::vector<uint32_t> groups;
    bool owned() const { return zone != kNone || saas != kNone; }
    friend auto operator<=>(const Side&, const Side&) = default;
};

struct Class {
    Side side[2];                          // [0] before, [1] after
    std::vector<model::IpPrefix> prefixes; // where it is (empty for an FQDN-only saas endpoint)
};

u128 familyMax(Family f) {
    return f == Family::V4 ? u128(0xffffffffu) : ~u128(0);
}

// [lo, hi] as the fewest aligned prefixes.
void appendPrefixes(Family fam, u128 lo, u128 hi, std::vector<model::IpPrefix>& out) {
    const unsigned bits = model::IpPrefix::maxLen(fam);
    for (u128 a = lo;;) {
        unsigned host = 0; // the block at `a` is 2^host addresses
        while (host < bits) {
            const unsigned h = host + 1;
            if (h == 128) {
                if (a != 0 || hi != ~u128(0))
                    break;
            } else {
                const u128 size = u128(1) << h;
                if ((a & (size - 1)) != 0 || hi - a < size - 1)
                    break;
            }
            host = h;
        }
        out.push_back({fam, a, uint8_t(bits - host)});
        if (host == 128)
            return;
        const u128 last = a + ((u128(1) << host) - 1);
        if (last >= hi)
            return;
        a = last + 1;
    }
}

// Splits both versions' address spaces into classes.
std::vector<Class> classesOf(const model::Policy* p[2]) {
    struct Range {
        u128 lo, hi;
        int kind; // 0 zone, 1 group, 2 saas
        uint32_t index;
    };
    std::vector<Class> classes;
    std::map<std::pair<Side, Side>, size_t> byKey;
    for (Family fam : {Family::V4, Family::V6}) {
        std::vector<Range> ranges[2];
        std::vector<u128> cuts;
        for (int v = 0; v < 2; ++v) {
            const model::Policy& pol = *p[v];
            auto add = [&](const model::AddressSet& a, int kind, uint32_t index) {
                for (const auto& r : a.ranges())
                    if (r.family == fam) {
                        ranges[v].push_back({r.lo, r.hi, kind, index});
                        cuts.push_back(r.lo);
                        if (r.hi != familyMax(fam))
                            cuts.push_back(r.hi + 1);
                    }
            };
            for (uint32_t z = 0; z < pol.zones.size(); ++z)
                add(pol.zones[z].addresses, 0, z);
            for (uint32_t g = 0; g < pol.groups.size(); ++g)
                add(pol.groups[g].addresses, 1, g);
            for (uint32_t s = 0; s < pol.saas.size(); ++s)
                add(pol.saas[s].addresses, 2, s);
            std::sort(ranges[v].begin(), ranges[v].end(),
                      [](const Range& a, const Range& b) { return a.lo < b.lo; });
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        // Sweep: ranges start at cuts; those covering the current interval
        // are kept per version (owners are few per address).
        size_t next[2] = {0, 0};
        std::vector<Range> active[2];
        for (size_t i = 0; i < cuts.size(); ++i) {
            const u128 lo = cuts[i];
            const u128 hi = i + 1 < cuts.size() ? cuts[i + 1] - 1 : familyMax(fam);
            Side sides[2];
            for (int v = 0; v < 2; ++v) {
                auto& act = active[v];
                act.erase(std::remove_if(act.begin(), act.end(),
                                         [&](const Range& r) { return r.hi < lo; }),
                          act.end());
                while (next[v] < ranges[v].size() && ranges[v][next[v]].lo <= lo)
                    act.push_back(ranges[v][next[v]++]);
                for (const Range& r : act) {
                    if (r.lo > lo || r.hi < lo)
                        continue;
                    if (r.kind == 0)
                        sides[v].zone = r.index;
                    else if (r.kind == 1)
                        sides[v].groups.push_back(r.index);
                    else
                        sides[v].saas = r.index;
                }
                std::sort(sides[v].groups.begin(), sides[v].groups.end());
                sides[v].groups.erase(std::unique(sides[v].groups.begin(), sides[v].groups.end()),
                                      sides[v].groups.end());
            }
            if (!sides[0].owned() && !sides[1].owned())
                continue;
            auto [it, fresh] = byKey.emplace(std::make_pair(sides[0], sides[1]), classes.size());
            if (fresh)
                classes.push_back({{sides[0], sides[1]}, {}});
            appendPrefixes(fam, lo, hi, classes[it->second].prefixes);
        }
    }
    // FQDN-only saas endpoints own no address; each is a class by name.
    std::map<std::string, Class> fqdnOnly;
    for (int v = 0; v < 2; ++v)
        for (uint32_t s = 0; s < p[v]->saas.size(); ++s)
            if (p[v]->saas[s].addresses.empty())
                fqdnOnly[p[v]->saas[s].name].side[v].saas = s;
    for (auto& [name, c] : fqdnOnly)
        classes.push_back(std::move(c));
    return classes;
}

// Where a class's hosts sit as firewalls see them: their zone; a saas
// endpoint's `behind` zone, else the internet (lowering attaches it to each
// firewall's internet zone, so no firewall lies between it and that zone).
struct Locator {
    const model::Policy* policy[2];
    uint32_t internet[2] = {kNone, kNone}; // first zone of kind internet
    uint32_t at(const Class& c, int v) const {
        const Side& s = c.side[v];
        if (s.zone != kNone)
            return s.zone;
        if (s.saas != kNone) {
            auto behind = policy[v]->saas[s.saas].behindZone;
            return behind ? *behind : internet[v];
        }
        return kNone;
    }
};

// The per-version view the pair computation needs.
struct Version {
    const model::Policy& policy;
    const SourceManager& sources;
    int v; // 0 before, 1 after
    const Locator& locator;
    const std::vector<Class>& classes;
    // Hosts with no firewall between them (one zone, or a saas endpoint and
    // the zone it attaches to).
    bool sameZone(uint32_t c, uint32_t d) const {
        const uint32_t a = locator.at(classes[c], v);
        return a != kNone && a == locator.at(classes[d], v);
    }
    std::vector<std::vector<uint32_t>> zoneClasses, groupClasses, saasClasses;
    std::vector<std::vector<uint32_t>> from, to;          // per rule: sorted classes
    std::vector<SpaceTable::Id> space;                    // per rule
    std::vector<uint8_t> active;                          // allowing rule in force
    std::vector<std::vector<uint32_t>> rulesFrom;         // per class: rules with it as a source
    std::unordered_map<uint64_t, SpaceTable::Id> allowed; // (c << 32 | d) -> after denies
};

const std::vector<uint32_t>& coverOf(const Version& ver, const Endpoint& e) {
    switch (e.kind) {
    case Endpoint::Kind::Zone:
        return ver.zoneClasses[e.index];
    case Endpoint::Kind::Group:
        return ver.groupClasses[e.index];
    case Endpoint::Kind::Saas:
        return ver.saasClasses[e.index];
    }
    return ver.zoneClasses[e.index];
}

uint64_t pairKey(uint32_t c, uint32_t d) {
    return (uint64_t(c) << 32) | d;
}

void buildVersion(Version& ver, const std::vector<Class>& classes, SpaceTable& sp,
                  model::Date asOf) {
    const model::Policy& p = ver.policy;
    const int v = ver.v;
    ver.zoneClasses.resize(p.zones.size());
    ver.groupClasses.resize(p.groups.size());
    ver.saasClasses.resize(p.saas.size());
    for (uint32_t c = 0; c < classes.size(); ++c) {
        const Side& s = classes[c].side[v];
        if (s.zone != kNone)
            ver.zoneClasses[s.zone].push_back(c);
        for (uint32_t g : s.groups)
            ver.groupClasses[g].push_back(c);
        if (s.saas != kNone)
            ver.saasClasses[s.saas].push_back(c);
    }
    std::vector<SpaceTable::Id> serviceSpace;
    for (const auto& s : p.services)
        serviceSpace.push_back(sp.intern(ServiceSpace::of(s)));
    const size_t nr = p.rules.size();
    ver.from.resize(nr);
    ver.to.resize(nr);
    ver.space.assign(nr, SpaceTable::kEmpty);
    ver.active.assign(nr, 0);
    ver.rulesFrom.resize(classes.size());
    auto cover = [&](const std::vector<Endpoint>& es) {
        std::vector<uint32_t> out;
        for (const Endpoint& e : es) {
            const auto& c = coverOf(ver, e);
            out.insert(out.end(), c.begin(), c.end());
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    };
    for (uint32_t r = 0; r < nr; ++r) {
        const model::Rule& rule = p.rules[r];
        ver.from[r] = cover(rule.from);
        ver.to[r] = cover(rule.to);
        if (rule.serviceAny)
            ver.space[r] = sp.all();
        for (uint32_t s : rule.services)
            ver.space[r] = sp.unite(ver.space[r], serviceSpace[s]);
        ver.active[r] = rule.kind != model::RuleKind::Deny && model::inForce(rule, asOf);
        if (rule.kind == model::RuleKind::Deny || ver.active[r])
            for (uint32_t c : ver.from[r])
                ver.rulesFrom[c].push_back(r);
    }
    // Allowed services per class pair: allows first, then the denies of
    // each pair that has any (looked up from the source's rules).
    std::unordered_map<uint64_t, SpaceTable::Id>& acc = ver.allowed;
    for (uint32_t r = 0; r < nr; ++r) {
        if (!ver.active[r])
            continue;
        for (uint32_t c : ver.from[r])
            for (uint32_t d : ver.to[r])
                if (c != d && !ver.sameZone(c, d)) {
                    SpaceTable::Id& cell = acc[pairKey(c, d)];
                    cell = sp.unite(cell, ver.space[r]);
                }
    }
    for (auto it = acc.begin(); it != acc.end();) {
        const uint32_t c = uint32_t(it->first >> 32), d = uint32_t(it->first);
        SpaceTable::Id deny = SpaceTable::kEmpty;
        for (uint32_t r : ver.rulesFrom[c])
            if (p.rules[r].kind == model::RuleKind::Deny &&
                std::binary_search(ver.to[r].begin(), ver.to[r].end(), d))
                deny = sp.unite(deny, ver.space[r]);
        it->second = sp.subtract(it->second, deny);
        if (it->second == SpaceTable::kEmpty)
            it = acc.erase(it);
        else
            ++it;
    }
}

// Allowed services of a class pair in a version: everything within a zone
// (no firewall in between), else the computed pairs.
SpaceTable::Id allowedIn(const Version& ver, SpaceTable& sp, uint32_t c, uint32_t d) {
    if (ver.sameZone(c, d))
        return sp.all();
    auto it = ver.allowed.find(pairKey(c, d));
    return it == ver.allowed.end() ? SpaceTable::kEmpty : it->second;
}

// "letter FSC-NAL-2026-031, expires 2027-09-30, kill-switch ai-egress"
std::string exceptionDetail(const model::Rule& r) {
    if (!r.exception)
        return {};
    const auto& x = *r.exception;
    std::string out;
    if (x.basis)
        out += x.basis->id.empty() ? std::string("saas-general") : "letter " + x.basis->id;
    out += (out.empty() ? "" : ", ") + std::string("expires ") + x.expires.str();
    if (!x.killSwitch.empty())
        out += ", kill-switch " + x.killSwitch;
    return out;
}

// The rules of a version that decide `s` on a pair: the allowing rules that
// meet it, or (denies) the denies that meet it when some allowing rule does
// (otherwise nothing allows it and no deny is to blame).
std::vector<RuleRef> rulesOn(const Version& ver, SpaceTable& sp, uint32_t c, uint32_t d,
                             SpaceTable::Id s, bool denies) {
    std::vector<RuleRef> out;
    bool allowed = false;
    for (uint32_t r : ver.rulesFrom[c]) {
        const model::Rule& rule = ver.policy.rules[r];
        if (!std::binary_search(ver.to[r].begin(), ver.to[r].end(), d) ||
            !sp.intersects(ver.space[r], s))
            continue;
        const bool deny = rule.kind == model::RuleKind::Deny;
        allowed = allowed || !deny;
        if (deny == denies)
            out.push_back(
                {rule.name, ver.sources.where(rule.span), rule.kind, exceptionDetail(rule)});
    }
    if (denies && !allowed)
        out.clear();
    return out;
}

std::string sideLabel(const model::Policy& p, const Side& s, bool withZone) {
    if (s.saas != kNone) {
        const model::Saas& x = p.saas[s.saas];
        return "saas " + x.name + (x.fqdns.empty() ? "" : " (" + x.fqdns.front() + ")");
    }
    if (s.zone == kNone)
        return "";
    if (!s.groups.empty()) {
        std::string out = "group ";
        for (size_t i = 0; i < s.groups.size(); ++i)
            out += (i ? "+" : "") + p.groups[s.groups[i]].name;
        return withZone ? out + " (zone " + p.zones[s.zone].name + ")" : out;
    }
    bool hasGroups = std::any_of(p.groups.begin(), p.groups.end(),
                                 [&](const model::Group& g) { return g.zone == s.zone; });
    return "zone " + p.zones[s.zone].name + (hasGroups ? " (outside its groups)" : "");
}

// Who owns a class in a version, by names: the same key in both versions
// means its hosts did not move.
std::string ownerKey(const model::Policy& p, const Side& s) {
    std::string k;
    if (s.zone != kNone)
        k += "z:" + p.zones[s.zone].name;
    for (uint32_t g : s.groups)
        k += " g:" + p.groups[g].name;
    if (s.saas != kNone)
        k += " s:" + p.saas[s.saas].name;
    return k;
}

std::string prefixesText(const std::vector<model::IpPrefix>& ps) {
    std::string out;
    for (size_t i = 0; i < ps.size() && i < 3; ++i)
        out += (i ? ", " : "") + ps[i].str();
    if (ps.size() > 3)
        out += ", ... (" + std::to_string(ps.size()) + " prefixes)";
    return out;
}

// A class as the reviewer reads it: NEW's owner, and where its addresses
// came from when that changed.
std::string classLabel(const Version* ver[2], const Class& c) {
    const model::Policy& a = ver[0]->policy;
    const model::Policy& b = ver[1]->policy;
    const std::string after = sideLabel(b, c.side[1], false);
    if (ownerKey(a, c.side[0]) == ownerKey(b, c.side[1]))
        return after;
    const std::string before = sideLabel(a, c.side[0], true);
    if (after.empty())
        return prefixesText(c.prefixes) + " (no longer in the policy; was " + before + ")";
    if (before.empty())
        return after + " [" + prefixesText(c.prefixes) + ": new to the policy]";
    return after + " [" + prefixesText(c.prefixes) + ": was " + before + "]";
}

bool isTarget(const model::Zone& z) {
    return z.crownJewel || (z.level && *z.level == model::Level::Classified) ||
           (z.kind && *z.kind == model::ZoneKind::Datacenter);
}

struct Entry {
    bool opened;
    uint32_t c, d;
    SpaceTable::Id space;
    std::vector<RuleRef> newRules, oldRules;
    std::string newNote, oldNote;
};

std::string refsKey(const std::vector<RuleRef>& rs) {
    std::string k;
    for (const auto& r : rs)
        k += r.name + "\x1f";
    return k;
}

// Replaces, in a set of classes, every zone all of whose classes (in NEW,
// with unchanged owners) are present by "zone NAME"; others keep their label.
std::vector<std::string> collapse(const Version* ver[2], const std::vector<Class>& classes,
                                  std::vector<uint32_t> set) {
    std::sort(set.begin(), set.end());
    std::vector<std::string> out;
    std::vector<uint8_t> used(set.size(), 0);
    const model::Policy& np = ver[1]->policy;
    for (uint32_t z = 0; z < np.zones.size(); ++z) {
        const auto& all = ver[1]->zoneClasses[z];
        if (all.size() < 2)
            continue;
        bool whole = std::all_of(all.begin(), all.end(), [&](uint32_t c) {
            return std::binary_search(set.begin(), set.end(), c) &&
                   ownerKey(ver[0]->policy, classes[c].side[0]) == ownerKey(np, classes[c].side[1]);
        });
        if (!whole)
            continue;
        out.push_back("zone " + np.zones[z].name);
        for (uint32_t c : all)
            used[size_t(std::lower_bound(set.begin(), set.end(), c) - set.begin())] = 1;
    }
    for (size_t i = 0; i < set.size(); ++i)
        if (!used[i])
            out.push_back(classLabel(ver, classes[set[i]]));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace

void diffReachability(const PolicyVersion& before, const PolicyVersion& after, PolicyDiff& out) {
    const model::Policy* p[2] = {&before.policy, &after.policy};
    const std::vector<Class> classes = classesOf(p);
    Locator locator{{p[0], p[1]}};
    for (int v = 0; v < 2; ++v)
        for (uint32_t z = 0; z < p[v]->zones.size() && locator.internet[v] == kNone; ++z)
            if (p[v]->zones[z].kind && *p[v]->zones[z].kind == model::ZoneKind::Internet)
                locator.internet[v] = z;
    SpaceTable sp;
    Version v0{
        before.policy, before.sources, 0, locator, classes, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    Version v1{
        after.policy, after.sources, 1, locator, classes, {}, {}, {}, {}, {}, {}, {}, {}, {}};
    buildVersion(v0, classes, sp, out.asOf);
    buildVersion(v1, classes, sp, out.asOf);
    const Version* ver[2] = {&v0, &v1};

    // Pairs to compare: every pair allowed in either version, and every pair
    // that is inside one zone in one version only (a zone split or merge).
    std::set<uint64_t> pairs;
    for (const Version* x : ver)
        for (const auto& [k, id] : x->allowed)
            pairs.insert(k);
    for (int v = 0; v < 2; ++v) {
        const int w = 1 - v;
        std::map<uint32_t, std::vector<uint32_t>> byLocation; // hosts with no firewall between
        for (uint32_t c = 0; c < classes.size(); ++c)
            if (uint32_t at = locator.at(classes[c], v); at != kNone)
                byLocation[at].push_back(c);
        for (const auto& [at, members] : byLocation) {
            // Split by where the same hosts sit in the other version.
            std::map<uint32_t, std::vector<uint32_t>> parts;
            for (uint32_t c : members)
                parts[locator.at(classes[c], w)].push_back(c);
            if (parts.size() < 2 && !parts.count(kNone))
                continue;
            for (const auto& [za, as] : parts)
                for (const auto& [zb, bs] : parts)
                    if (za != zb || za == kNone)
                        for (uint32_t c : as)
                            for (uint32_t d : bs)
                                if (c != d)
                                    pairs.insert(pairKey(c, d));
        }
    }

    std::vector<Entry> entries;
    for (uint64_t k : pairs) {
        const uint32_t c = uint32_t(k >> 32), d = uint32_t(k);
        const SpaceTable::Id a = allowedIn(v0, sp, c, d);
        const SpaceTable::Id b = allowedIn(v1, sp, c, d);
        if (a == b)
            continue;
        for (bool opened : {true, false}) {
            const SpaceTable::Id s = opened ? sp.subtract(b, a) : sp.subtract(a, b);
            if (s == SpaceTable::kEmpty)
                continue;
            Entry e{opened, c, d, s, {}, {}, {}, {}};
            // Why NEW allows (opened) or denies (closed) it, and why OLD did not.
            const Version& nv = v1;
            const Version& ov = v0;
            if (opened) {
                e.newRules = rulesOn(nv, sp, c, d, s, false);
                if (e.newRules.empty() && v1.sameZone(c, d))
                    e.newNote = "same zone: no firewall in between";
                e.oldRules = rulesOn(ov, sp, c, d, s, true);
                if (e.oldRules.empty())
                    e.oldNote = !classes[c].side[0].owned() || !classes[d].side[0].owned()
                                    ? "addresses not in the policy"
                                    : "no rule allowed it";
            } else {
                e.oldRules = rulesOn(ov, sp, c, d, s, false);
                if (e.oldRules.empty() && v0.sameZone(c, d))
                    e.oldNote = "same zone: no firewall in between";
                e.newRules = rulesOn(nv, sp, c, d, s, true);
                if (e.newRules.empty())
                    e.newNote = !classes[c].side[1].owned() || !classes[d].side[1].owned()
                                    ? "addresses no longer in the policy"
                                    : "no rule allows it";
            }
            entries.push_back(std::move(e));
        }
    }

    // Merge: first sources per (what, destination), then destinations per
    // (what, sources).
    struct Group1 {
        std::vector<uint32_t> sources;
        const Entry* sample;
    };
    std::map<std::tuple<bool, SpaceTable::Id, std::string, std::string, std::string, std::string,
                        uint32_t>,
             Group1>
        bySrc;
    for (const Entry& e : entries) {
        auto key = std::make_tuple(!e.opened, e.space, refsKey(e.newRules), refsKey(e.oldRules),
                                   e.newNote, e.oldNote, e.d);
        auto& g = bySrc[key];
        g.sources.push_back(e.c);
        g.sample = &e;
    }
    struct Group2 {
        std::vector<uint32_t> dests, sources;
        const Entry* sample;
        std::vector<std::string> from;
    };
    std::map<std::tuple<bool, SpaceTable::Id, std::string, std::string, std::string, std::string,
                        std::vector<std::string>>,
             Group2>
        byDst;
    for (auto& [key, g] : bySrc) {
        auto from = collapse(ver, classes, g.sources);
        const Entry& e = *g.sample;
        auto k2 = std::make_tuple(!e.opened, e.space, refsKey(e.newRules), refsKey(e.oldRules),
                                  e.newNote, e.oldNote, from);
        auto& h = byDst[k2];
        h.dests.push_back(e.d);
        h.sources.insert(h.sources.end(), g.sources.begin(), g.sources.end());
        h.sample = &e;
        h.from = from;
    }
    for (auto& [key, h] : byDst) {
        const Entry& e = *h.sample;
        ReachChange rc;
        rc.opened = e.opened;
        rc.from = h.from;
        rc.to = collapse(ver, classes, h.dests);
        auto addresses = [&](const std::vector<uint32_t>& cs) {
            std::vector<model::IpPrefix> all;
            for (uint32_t c : cs)
                all.insert(all.end(), classes[c].prefixes.begin(), classes[c].prefixes.end());
            return model::AddressSet::of(all);
        };
        rc.fromAddresses = addresses(h.sources);
        rc.toAddresses = addresses(h.dests);
        rc.services = sp.get(e.space);
        rc.newRules = e.newRules;
        rc.oldRules = e.oldRules;
        rc.newNote = e.newNote;
        rc.oldNote = e.oldNote;
        if (e.opened)
            for (uint32_t d : h.dests) {
                uint32_t z = classes[d].side[1].zone;
                if (z != kNone && isTarget(after.policy.zones[z])) {
                    const std::string& name = after.policy.zones[z].name;
                    if (std::find(rc.targets.begin(), rc.targets.end(), name) == rc.targets.end())
                        rc.targets.push_back(name);
                }
            }
        (e.opened ? out.opened : out.closed).push_back(std::move(rc));
    }
    auto order = [](const ReachChange& a, const ReachChange& b) {
        return std::tie(a.from, a.to) < std::tie(b.from, b.to);
    };
    std::sort(out.opened.begin(), out.opened.end(), order);
    std::sort(out.closed.begin(), out.closed.end(), order);
}

} // namespace netsep::review
