// Property test: the analysis verdicts against a brute-force model of docs/analysis.md
// on random small policies. The brute force knows nothing of service spaces,
// CSR graphs or flows: services are bits, the graph an adjacency matrix.
#include "analysis/Analysis.hpp"
#include "analysis_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace netsep;
using namespace netsep::analysis;
using namespace netsep::testing;
using ZK = model::ZoneKind;
using Lv = model::Level;

namespace {

// Service atoms: https, ssh, postgres, syslog (no-pivot); `any` adds "other".
constexpr unsigned kAll = 0x1F;

struct Brute {
    const model::Policy& p;
    model::Date asOf;
    std::set<uint32_t> removed;  // rules taken out (cut check)
    std::set<uint32_t> isolated; // zones declared isolated (cut check)
    // The cut does not un-expose sources: keep the original exposure.
    std::optional<std::set<uint32_t>> fixedExposed;
    size_t n = 0;
    std::vector<std::vector<unsigned>> move, flow; // masks; intra = kAll
    std::vector<std::vector<uint8_t>> intra;

    Brute(const model::Policy& policy, model::Date date) : p(policy), asOf(date) {}

    uint32_t vz(uint32_t z) const { return z; }
    uint32_t vg(uint32_t g) const { return static_cast<uint32_t>(p.zones.size()) + g; }
    uint32_t vs(uint32_t s) const {
        return static_cast<uint32_t>(p.zones.size() + p.groups.size()) + s;
    }
    std::set<uint32_t> cover(const std::vector<model::Endpoint>& es, bool narrowed) const {
        std::set<uint32_t> out;
        for (const auto& e : es) {
            if (e.kind == model::Endpoint::Kind::Zone) {
                out.insert(vz(e.index));
                if (!narrowed)
                    for (uint32_t g = 0; g < p.groups.size(); ++g)
                        if (p.groups[g].zone == e.index)
                            out.insert(vg(g));
            } else if (e.kind == model::Endpoint::Kind::Group) {
                out.insert(vg(e.index));
            } else {
                out.insert(vs(e.index));
            }
        }
        return out;
    }
    unsigned mask(const std::vector<uint32_t>& services, bool any, bool pivotOnly) const {
        if (any)
            return kAll;
        unsigned m = 0;
        for (uint32_t s : services) {
            unsigned bit = 1u << s; // services 0..3 are the atoms
            if (pivotOnly && p.services[s].noPivot)
                continue;
            m |= bit;
        }
        return m;
    }
    bool active(const model::Rule& r) const {
        if (r.kind != model::RuleKind::Exception)
            return true;
        return *r.exception->basis->issued <= asOf && asOf <= r.exception->expires;
    }

    void build() {
        n = p.zones.size() + p.groups.size() + p.saas.size();
        std::vector<std::vector<unsigned>> allow(n, std::vector<unsigned>(n, 0)), deny = allow,
                                                                                  waived = allow;
        move.assign(n, std::vector<unsigned>(n, 0));
        flow = move;
        intra.assign(n, std::vector<uint8_t>(n, 0));
        for (uint32_t i = 0; i < p.rules.size(); ++i) {
            const model::Rule& r = p.rules[i];
            if (removed.count(i) || !active(r))
                continue;
            unsigned m = mask(r.services, r.serviceAny, false);
            for (uint32_t u : cover(r.from, r.identity.has_value()))
                for (uint32_t v : cover(r.to, false))
                    if (u != v)
                        (r.kind == model::RuleKind::Deny ? deny : allow)[u][v] |= m;
        }
        for (const model::Waiver& w : p.waivers) {
            if (w.until < asOf)
                continue;
            unsigned m = mask(w.services, w.serviceAny, false);
            for (uint32_t u : cover(w.from, false))
                for (uint32_t v : cover(w.to, false))
                    waived[u][v] |= m;
        }
        for (uint32_t i = 0; i < p.rules.size(); ++i) {
            const model::Rule& r = p.rules[i];
            if (removed.count(i) || !active(r) || r.kind == model::RuleKind::Deny)
                continue;
            unsigned pivot = mask(r.services, r.serviceAny, true);
            unsigned all = mask(r.services, r.serviceAny, false);
            for (uint32_t u : cover(r.from, r.identity.has_value()))
                for (uint32_t v : cover(r.to, false)) {
                    if (u == v)
                        continue;
                    unsigned allowed = allow[u][v] & ~deny[u][v];
                    move[u][v] |= pivot & allowed & ~waived[u][v];
                    flow[u][v] |= all & allowed & ~waived[u][v];
                }
        }
        for (uint32_t g = 0; g < p.groups.size(); ++g) {
            uint32_t z = p.groups[g].zone;
            if (p.zones[z].isolated || isolated.count(z))
                continue;
            intra[vg(g)][vz(z)] = intra[vz(z)][vg(g)] = 1;
            move[vg(g)][vz(z)] = move[vz(z)][vg(g)] = kAll;
            flow[vg(g)][vz(z)] = flow[vz(z)][vg(g)] = kAll;
        }
    }

    std::vector<uint32_t> bfs(const std::vector<std::vector<unsigned>>& adj,
                              const std::set<uint32_t>& from) const {
        std::vector<uint32_t> dist(n, kNone);
        std::vector<uint32_t> queue(from.begin(), from.end());
        for (uint32_t s : from)
            dist[s] = 0;
        for (size_t h = 0; h < queue.size(); ++h)
            for (uint32_t v = 0; v < n; ++v)
                if (adj[queue[h]][v] && dist[v] == kNone) {
                    dist[v] = dist[queue[h]] + 1;
                    queue.push_back(v);
                }
        return dist;
    }

    std::set<uint32_t> exposed() const {
        if (fixedExposed)
            return *fixedExposed;
        std::set<uint32_t> out;
        for (uint32_t z = 0; z < p.zones.size(); ++z)
            if (p.zones[z].kind == ZK::Internet || p.zones[z].kind == ZK::Saas)
                out.insert(vz(z));
        for (uint32_t s = 0; s < p.saas.size(); ++s)
            out.insert(vs(s));
        for (const model::Rule& r : p.rules)
            if (r.kind == model::RuleKind::Exception && active(r))
                for (uint32_t u : cover(r.from, r.identity.has_value()))
                    out.insert(u);
        return out;
    }
    bool isTargetZone(uint32_t z) const {
        const model::Zone& zone = p.zones[z];
        return zone.crownJewel || zone.level == Lv::Classified || zone.kind == ZK::Datacenter;
    }
    std::set<uint32_t> zoneCover(uint32_t z) const {
        return cover({{model::Endpoint::Kind::Zone, z}}, false);
    }
    std::string name(uint32_t v) const {
        if (v < p.zones.size())
            return p.zones[v].name;
        if (v < p.zones.size() + p.groups.size())
            return p.groups[v - p.zones.size()].name;
        return p.saas[v - p.zones.size() - p.groups.size()].name;
    }

    // (source, target, distance) of every lateral-movement finding.
    std::set<std::tuple<std::string, std::string, uint32_t>> lateral() const {
        std::set<std::tuple<std::string, std::string, uint32_t>> out;
        for (uint32_t s : exposed()) {
            auto dist = bfs(move, {s});
            for (uint32_t z = 0; z < p.zones.size(); ++z) {
                if (!isTargetZone(z))
                    continue;
                uint32_t best = kNone;
                for (uint32_t v : zoneCover(z))
                    best = std::min(best, dist[v]);
                if (best != kNone)
                    out.insert({name(s), p.zones[z].name, best});
            }
        }
        return out;
    }
    std::set<uint32_t> sinks() const {
        std::set<uint32_t> out;
        for (uint32_t z = 0; z < p.zones.size(); ++z)
            if (p.zones[z].kind == ZK::Internet || p.zones[z].kind == ZK::Saas)
                for (uint32_t v : zoneCover(z))
                    out.insert(v);
        for (uint32_t s = 0; s < p.saas.size(); ++s)
            out.insert(vs(s));
        return out;
    }
    std::set<std::tuple<std::string, std::string, uint32_t>> exfil() const {
        std::set<std::tuple<std::string, std::string, uint32_t>> out;
        for (uint32_t z = 0; z < p.zones.size(); ++z) {
            if (!isTargetZone(z))
                continue;
            auto dist = bfs(flow, zoneCover(z));
            for (uint32_t s = 0; s < p.zones.size(); ++s)
                if (p.zones[s].kind == ZK::Internet || p.zones[s].kind == ZK::Saas) {
                    uint32_t best = kNone;
                    for (uint32_t v : zoneCover(s))
                        best = std::min(best, dist[v]);
                    if (best != kNone && best > 0)
                        out.insert({p.zones[z].name, p.zones[s].name, best});
                }
            for (uint32_t s = 0; s < p.saas.size(); ++s)
                if (dist[vs(s)] != kNone && dist[vs(s)] > 0)
                    out.insert({p.zones[z].name, p.saas[s].name, dist[vs(s)]});
        }
        return out;
    }
    // Does anything exposed still reach a target vertex that is not itself exposed?
    bool lateralCut() const {
        auto ex = exposed();
        auto dist = bfs(move, ex);
        for (uint32_t z = 0; z < p.zones.size(); ++z)
            if (isTargetZone(z))
                for (uint32_t v : zoneCover(z))
                    if (!ex.count(v) && dist[v] != kNone)
                        return false;
        return true;
    }
    bool exfilCut() const {
        std::set<uint32_t> holders;
        for (uint32_t z = 0; z < p.zones.size(); ++z)
            if (isTargetZone(z))
                for (uint32_t v : zoneCover(z))
                    holders.insert(v);
        auto dist = bfs(flow, holders);
        for (uint32_t v : sinks())
            if (!holders.count(v) && dist[v] != kNone)
                return false;
        return true;
    }
};

model::Policy randomPolicy(std::mt19937& rng) {
    auto pick = [&](size_t n) { return static_cast<uint32_t>(rng() % n); };
    auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
    PolicyBuilder b;
    b.tcp("https", 443);
    b.tcp("ssh", 22);
    b.tcp("postgres", 5432);
    b.udp("syslog", 514, true);
    uint32_t ident = b.identity("analyst");
    const ZK kinds[] = {ZK::Internet, ZK::Dmz, ZK::Internal, ZK::Datacenter, ZK::Admin, ZK::Saas};
    size_t nz = 3 + pick(4);
    for (size_t i = 0; i < nz; ++i) {
        std::optional<Lv> level;
        if (!chance(20))
            level = static_cast<Lv>(pick(3));
        b.zone("z" + std::to_string(i), kinds[pick(6)], level, chance(15), chance(30));
    }
    size_t ng = pick(4);
    for (size_t i = 0; i < ng; ++i)
        b.group("g" + std::to_string(i), {model::Endpoint::Kind::Zone, pick(nz)});
    size_t ns = pick(3);
    for (size_t i = 0; i < ns; ++i)
        b.saas("s" + std::to_string(i));
    auto endpoint = [&]() -> model::Endpoint {
        for (;;) {
            uint32_t k = pick(3);
            if (k == 0)
                return {model::Endpoint::Kind::Zone, pick(nz)};
            if (k == 1 && ng)
                return {model::Endpoint::Kind::Group, pick(ng)};
            if (k == 2 && ns)
                return {model::Endpoint::Kind::Saas, pick(ns)};
        }
    };
    auto endpoints = [&]() {
        std::vector<model::Endpoint> out{endpoint()};
        if (chance(30))
            out.push_back(endpoint());
        return out;
    };
    auto services = [&]() {
        std::vector<uint32_t> out;
        if (chance(10))
            return out; // any
        for (uint32_t s = 0; s < 4; ++s)
            if (chance(35))
                out.push_back(s);
        if (out.empty())
            out.push_back(pick(4));
        return out;
    };
    size_t nr = 3 + pick(9);
    for (size_t i = 0; i < nr; ++i) {
        std::string name = "r" + std::to_string(i);
        int k = static_cast<int>(pick(100));
        if (k < 65) {
            b.access(name, endpoints(), endpoints(), services(),
                     chance(15) ? std::optional<uint32_t>(ident) : std::nullopt);
        } else if (k < 85) {
            b.deny(name, chance(10) ? b.any() : endpoints(), endpoints(), services());
        } else {
            const char* issued = chance(80) ? "2026-01-01" : "2027-01-01";
            const char* expires = chance(80) ? "2026-12-31" : "2026-06-30";
            b.exception(name, endpoints(), endpoints(), services(), issued, expires);
        }
    }
    size_t nw = pick(3);
    for (size_t i = 0; i < nw; ++i)
        b.waive(endpoints(), endpoints(), services(), chance(70) ? "2027-01-01" : "2026-01-01");
    return b.p;
}

std::set<std::tuple<std::string, std::string, uint32_t>> verdicts(const model::Policy& p,
                                                                  const std::vector<PathSet>& sets,
                                                                  const std::vector<Unit>& from,
                                                                  const std::vector<Unit>& to) {
    std::set<std::tuple<std::string, std::string, uint32_t>> out;
    for (const PathSet& ps : sets)
        out.insert({p.endpointName(from[ps.from].endpoint), p.endpointName(to[ps.to].endpoint),
                    ps.length});
    return out;
}

void checkPaths(const std::vector<std::vector<unsigned>>& adj, const std::vector<PathSet>& sets,
                const std::vector<Unit>& from, const std::vector<Unit>& to) {
    for (const PathSet& ps : sets) {
        std::set<std::vector<uint32_t>> seen;
        size_t last = 0;
        for (const Path& path : ps.paths) {
            auto seq = path.vertices();
            CHECK(std::find(from[ps.from].vertices.begin(), from[ps.from].vertices.end(),
                            seq.front()) != from[ps.from].vertices.end());
            const auto& tv = to[ps.to].vertices;
            CHECK(std::find(tv.begin(), tv.end(), seq.back()) != tv.end());
            for (size_t i = 0; i + 1 < seq.size(); ++i) {
                CHECK(adj[seq[i]][seq[i + 1]] != 0);
                CHECK(std::find(tv.begin(), tv.end(), seq[i]) == tv.end());
            }
            CHECK(std::set<uint32_t>(seq.begin(), seq.end()).size() == seq.size()); // simple
            CHECK(seen.insert(seq).second);                                         // distinct
            CHECK(path.hops.size() >= last);
            last = path.hops.size();
            for (const Hop& h : path.hops)
                CHECK((h.intraZone || !h.rules.empty()));
        }
        if (!ps.paths.empty())
            CHECK(ps.paths[0].hops.size() == ps.length);
    }
}

// Lengths (in hops) of every simple path from a source to the first target
// it meets, ascending; nullopt when there are too many to enumerate.
std::optional<std::vector<size_t>> allPathLengths(const std::vector<std::vector<unsigned>>& adj,
                                                  const std::vector<uint32_t>& sources,
                                                  const std::vector<uint32_t>& targets) {
    const size_t n = adj.size();
    std::vector<uint8_t> isTarget(n, 0), onPath(n, 0);
    for (uint32_t t : targets)
        isTarget[t] = 1;
    std::vector<size_t> lengths;
    bool overflow = false;
    std::function<void(uint32_t, size_t)> dfs = [&](uint32_t u, size_t depth) {
        if (overflow)
            return;
        if (isTarget[u]) {
            lengths.push_back(depth);
            overflow = lengths.size() > 200000;
            return;
        }
        onPath[u] = 1;
        for (uint32_t v = 0; v < n; ++v)
            if (adj[u][v] && !onPath[v])
                dfs(v, depth + 1);
        onPath[u] = 0;
    };
    for (uint32_t s : sources) {
        std::fill(onPath.begin(), onPath.end(), 0);
        dfs(s, 0);
    }
    if (overflow)
        return std::nullopt;
    std::sort(lengths.begin(), lengths.end());
    return lengths;
}

// Yen returns the k shortest (by length) simple paths and the count of
// shortest paths is exact.
void checkKShortest(const std::vector<std::vector<unsigned>>& adj, const std::vector<PathSet>& sets,
                    const std::vector<Unit>& from, const std::vector<Unit>& to, unsigned k,
                    size_t& checked) {
    for (const PathSet& ps : sets) {
        if (ps.length == 0)
            continue;
        auto lengths = allPathLengths(adj, from[ps.from].vertices, to[ps.to].vertices);
        if (!lengths)
            continue;
        ++checked;
        const size_t want = std::min<size_t>(k, lengths->size());
        REQUIRE(ps.paths.size() == want);
        for (size_t i = 0; i < want; ++i)
            CHECK(ps.paths[i].hops.size() == (*lengths)[i]);
        CHECK(ps.shortestPaths ==
              static_cast<uint64_t>(std::count(lengths->begin(), lengths->end(), ps.length)));
    }
}

// Exact minimum over subsets of (rules, zones to isolate), lexicographic
// (isolations, rules), or nullopt when too many items to enumerate.
std::optional<std::pair<size_t, size_t>> exactCut(const model::Policy& p, model::Date asOf,
                                                  bool exfiltration) {
    std::vector<uint32_t> rules;
    for (uint32_t i = 0; i < p.rules.size(); ++i)
        if (p.rules[i].kind != model::RuleKind::Deny)
            rules.push_back(i);
    std::vector<uint32_t> zones;
    for (uint32_t z = 0; z < p.zones.size(); ++z)
        if (!p.zones[z].isolated)
            zones.push_back(z);
    const size_t items = rules.size() + zones.size();
    if (items > 14)
        return std::nullopt;
    std::optional<std::pair<size_t, size_t>> best;
    Brute original(p, asOf);
    const std::set<uint32_t> exposed = original.exposed();
    for (uint32_t mask = 0; mask < (1u << items); ++mask) {
        Brute bf(p, asOf);
        bf.fixedExposed = exposed;
        size_t nr = 0, ni = 0;
        for (size_t i = 0; i < items; ++i)
            if (mask & (1u << i)) {
                if (i < rules.size()) {
                    bf.removed.insert(rules[i]);
                    ++nr;
                } else {
                    bf.isolated.insert(zones[i - rules.size()]);
                    ++ni;
                }
            }
        std::pair<size_t, size_t> cost{ni, nr};
        if (best && cost >= *best)
            continue;
        bf.build();
        if (exfiltration ? bf.exfilCut() : bf.lateralCut())
            best = cost;
    }
    return best;
}

std::pair<size_t, size_t> cost(const std::vector<CutItem>& cut) {
    size_t ni = 0, nr = 0;
    for (const CutItem& c : cut)
        (c.kind == CutItem::Kind::Isolate ? ni : nr)++;
    return {ni, nr};
}

} // namespace

// Redundant allows by brute force: r allows something somewhere (not every
// service denied on every pair) and another access rule
// w covers it: sources, destinations and services at least as wide, no other
// identity, logging if r logs. Of two identical rules the later one is
// reported; the reported coverer is the lowest-numbered.
std::set<std::pair<uint32_t, uint32_t>> bruteRedundant(const model::Policy& p, model::Date asOf) {
    Brute bf(p, asOf);
    auto includes = [](const std::set<uint32_t>& wide, const std::set<uint32_t>& narrow) {
        return std::includes(wide.begin(), wide.end(), narrow.begin(), narrow.end());
    };
    auto covers = [&](uint32_t wi, uint32_t ni) {
        const model::Rule& w = p.rules[wi];
        const model::Rule& n = p.rules[ni];
        if (w.identity && w.identity != n.identity)
            return false;
        if (n.log && !w.log)
            return false;
        const unsigned wm = bf.mask(w.services, w.serviceAny, false);
        const unsigned nm = bf.mask(n.services, n.serviceAny, false);
        return (nm & ~wm) == 0 &&
               includes(bf.cover(w.from, w.identity.has_value()),
                        bf.cover(n.from, n.identity.has_value())) &&
               includes(bf.cover(w.to, false), bf.cover(n.to, false));
    };
    auto alive = [&](uint32_t ri) {
        const model::Rule& r = p.rules[ri];
        const unsigned m = bf.mask(r.services, r.serviceAny, false);
        for (uint32_t u : bf.cover(r.from, r.identity.has_value()))
            for (uint32_t v : bf.cover(r.to, false)) {
                if (u == v)
                    continue;
                unsigned denied = 0;
                for (const model::Rule& d : p.rules)
                    if (d.kind == model::RuleKind::Deny &&
                        bf.cover(d.from, d.identity.has_value()).count(u) &&
                        bf.cover(d.to, false).count(v))
                        denied |= bf.mask(d.services, d.serviceAny, false);
                if (m & ~denied)
                    return true;
            }
        return false;
    };
    std::set<std::pair<uint32_t, uint32_t>> out;
    for (uint32_t r = 0; r < p.rules.size(); ++r) {
        if (p.rules[r].kind == model::RuleKind::Deny || !bf.active(p.rules[r]) || !alive(r))
            continue;
        for (uint32_t w = 0; w < p.rules.size(); ++w) {
            if (w == r || p.rules[w].kind != model::RuleKind::Access || !covers(w, r))
                continue;
            if (w > r && p.rules[r].kind == model::RuleKind::Access && covers(r, w))
                continue;
            out.insert({r, w});
            break;
        }
    }
    return out;
}

TEST_CASE("analysis: property - verdicts match brute-force reachability") {
    std::mt19937 rng(20261122);
    const model::Date asOf = day("2026-11-22");
    size_t withFindings = 0, exfilFindings = 0, exactChecked = 0, exactEqual = 0, kChecked = 0,
           redundantFound = 0;
    for (int iter = 0; iter < 400; ++iter) {
        model::Policy p = randomPolicy(rng);
        if (iter % 3 == 0) { // no denies or waivers: the rule cut must be exact
            std::erase_if(p.rules, [](const auto& x) { return x.kind == model::RuleKind::Deny; });
            p.waivers.clear();
        }
        CAPTURE(iter);
        Options o = opts("2026-11-22", 1 + iter % 6);
        Result r = analyze(p, o);
        REQUIRE(r.error.empty());
        Brute bf(p, asOf);
        bf.build();

        CHECK(verdicts(p, r.lateral, r.exposed, r.targets) == bf.lateral());
        CHECK(verdicts(p, r.exfiltration, r.exfilSources, r.exfilSinks) == bf.exfil());
        checkPaths(bf.move, r.lateral, r.exposed, r.targets);
        checkPaths(bf.flow, r.exfiltration, r.exfilSources, r.exfilSinks);
        checkKShortest(bf.move, r.lateral, r.exposed, r.targets, o.k, kChecked);
        checkKShortest(bf.flow, r.exfiltration, r.exfilSources, r.exfilSinks, o.k, kChecked);
        std::set<std::pair<uint32_t, uint32_t>> redundant;
        for (const Anomaly& a : r.anomalies)
            if (a.kind == Anomaly::Kind::Redundant)
                redundant.insert({a.rule, a.by.at(0)});
        CHECK(redundant == bruteRedundant(p, asOf));
        redundantFound += redundant.size();
        withFindings += !r.lateral.empty();
        exfilFindings += !r.exfiltration.empty();

        // Blast radius = brute-force reachable set.
        for (const BlastRadius& br : r.blast) {
            auto dist = bf.bfs(bf.move, {r.exposed[br.source].vertices[0]});
            size_t count = 0;
            for (uint32_t v = 0; v < bf.n; ++v)
                count += dist[v] != kNone && dist[v] > 0;
            CHECK(br.reachable.size() == count);
        }

        // The cuts really cut.
        for (bool ex : {false, true}) {
            const auto& cut = ex ? r.cut.exfiltration : r.cut.lateral;
            Brute after(p, asOf);
            after.fixedExposed = bf.exposed();
            for (const CutItem& c : cut)
                (c.kind == CutItem::Kind::Rule ? after.removed : after.isolated).insert(c.index);
            after.build();
            CHECK((ex ? after.exfilCut() : after.lateralCut()));
            // Exact when no deny or live waiver carves a rule's product.
            bool exactCase =
                std::none_of(p.rules.begin(), p.rules.end(),
                             [](const auto& x) { return x.kind == model::RuleKind::Deny; }) &&
                p.waivers.empty();
            if (exactCase && !(ex ? r.exfiltration.empty() : r.lateral.empty())) {
                auto best = exactCut(p, asOf, ex);
                if (best) {
                    ++exactChecked;
                    exactEqual += cost(cut) == *best;
                    CHECK(cost(cut) == *best);
                }
            }
        }
    }
    MESSAGE("policies with lateral findings: "
            << withFindings << "/400, with exfiltration: " << exfilFindings
            << "; exact cuts checked: " << exactChecked << ", equal: " << exactEqual
            << "; k-shortest checked: " << kChecked << "; redundant rules: " << redundantFound);
    CHECK(withFindings > 40);
    CHECK(exfilFindings > 40);
    CHECK(exactChecked > 50);
    CHECK(kChecked > 500);
    CHECK(redundantFound > 40);
}
