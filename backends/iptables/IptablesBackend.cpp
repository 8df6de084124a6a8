#include "backends/iptables/IptablesBackend.hpp"

#include "backends/EmitUtil.hpp"
#include "backends/common/GeneratedHeader.hpp"
#include "backends/common/KillSwitchMark.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

namespace netsep::backends {

namespace {

using lower::Action;
using lower::LoweredFirewall;
using lower::LoweredRule;
using lower::ZonePair;
using model::Family;
using model::Proto;

// iptables chain names hold at most 28 characters.
constexpr std::size_t kMaxChain = 28;
// xt_comment stores 256 bytes including the terminating NUL.
constexpr std::size_t kMaxComment = 255;
// xt_LOG stores 30 bytes including the terminating NUL.
constexpr std::size_t kMaxLogPrefix = 29;
// The multiport match takes at most 15 ports; a range counts as two.
constexpr unsigned kMultiportMax = 15;
// Up to this many (src, dst, service) combinations are written as plain
// rules; beyond it a rule is split across helper chains (see docs).
constexpr std::size_t kDirect = 8;

// Names shared by both families, computed once so that `emit` and the
// kill-switch files agree on them.
struct Layout {
    std::vector<std::string> pairChain; // per zone pair
    // Per zone pair: (kill-switch group, chain), in order of first rule.
    std::vector<std::vector<std::pair<std::string, std::string>>> ksChains;
    // Per kill-switch group of the firewall (sorted): the chain that marks
    // and accepts its connections, and the chain FORWARD consults before
    // accepting established traffic (empty unless the group is disabled).
    std::vector<std::string> markChain, killChain;
    emit::NameTable names{kMaxChain};

    std::size_t groupIndex(const LoweredFirewall& fw, const std::string& group) const {
        auto it = std::lower_bound(fw.killSwitchGroups.begin(), fw.killSwitchGroups.end(), group);
        if (it == fw.killSwitchGroups.end() || *it != group)
            throw std::invalid_argument("iptables backend: unknown kill-switch group");
        return static_cast<std::size_t>(it - fw.killSwitchGroups.begin());
    }
};

Layout layoutOf(const LoweredFirewall& fw) {
    Layout l;
    for (const char* builtin : {"INPUT", "FORWARD", "OUTPUT"})
        l.names.reserve(builtin);
    for (const auto& g : fw.killSwitchGroups) {
        l.markChain.push_back(l.names.unique("ksmark_" + g));
        l.killChain.push_back(l.names.unique("kskill_" + g));
    }
    for (const auto& p : fw.pairs)
        l.pairChain.push_back(l.names.unique(fmt::format("z_{}__{}", p.fromZone, p.toZone)));
    for (const auto& p : fw.pairs) {
        auto& ks = l.ksChains.emplace_back();
        for (const auto& r : p.rules) {
            if (r.killSwitch.empty())
                continue;
            bool seen = std::any_of(ks.begin(), ks.end(),
                                    [&](const auto& e) { return e.first == r.killSwitch; });
            if (!seen)
                ks.emplace_back(r.killSwitch,
                                l.names.unique(fmt::format("ks_{}__{}__{}", r.killSwitch,
                                                           p.fromZone, p.toZone)));
        }
    }
    return l;
}

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

std::string comment(std::string_view text) {
    return "-m comment --comment " + quoted(emit::safeText(text, kMaxComment));
}

std::string portText(const model::PortRange& r) {
    return r.lo == r.hi ? fmt::format("{}", r.lo) : fmt::format("{}:{}", r.lo, r.hi);
}

// The protocol/port/type alternatives of a match: one rule each.
std::vector<std::string> serviceFragments(const lower::Match& m, Family fam) {
    std::vector<std::string> out;
    switch (m.proto) {
    case Proto::Any:
        out.emplace_back();
        break;
    case Proto::Tcp:
    case Proto::Udp: {
        const char* p = m.proto == Proto::Tcp ? "tcp" : "udp";
        auto ports = emit::normalizePorts(m.ports);
        if (ports.empty()) {
            out.push_back(fmt::format("-p {}", p));
            break;
        }
        std::vector<std::vector<model::PortRange>> chunks;
        unsigned weight = kMultiportMax;
        for (const auto& r : ports) {
            unsigned w = r.lo == r.hi ? 1 : 2;
            if (weight + w > kMultiportMax) {
                chunks.emplace_back();
                weight = 0;
            }
            chunks.back().push_back(r);
            weight += w;
        }
        for (const auto& c : chunks) {
            if (c.size() == 1) {
                out.push_back(fmt::format("-p {} -m {} --dport {}", p, p, portText(c.front())));
                continue;
            }
            std::vector<std::string> items;
            for (const auto& r : c)
                items.push_back(portText(r));
            out.push_back(fmt::format("-p {} -m multiport --dports {}", p, fmt::join(items, ",")));
        }
        break;
    }
    case Proto::Icmp:
    case Proto::Icmpv6: {
        bool v6 = fam == Family::V6;
        std::vector<int> types = m.icmpTypes;
        std::sort(types.begin(), types.end());
        types.erase(std::unique(types.begin(), types.end()), types.end());
        if (types.empty()) {
            out.push_back(v6 ? "-p ipv6-icmp" : "-p icmp");
            break;
        }
        for (int t : types) {
            if (t < 0 || t > 255)
                throw std::invalid_argument(
                    fmt::format("iptables backend: ICMP type {} out of range 0-255", t));
            out.push_back(v6 ? fmt::format("-p ipv6-icmp -m icmp6 --icmpv6-type {}", t)
                             : fmt::format("-p icmp -m icmp --icmp-type {}", t));
        }
        break;
    }
    }
    return out;
}

// "-s P" per prefix; a single /0 needs no match at all.
std::vector<std::string> addressFragments(const char* flag,
                                          const std::vector<model::IpPrefix>& prefixes) {
    std::vector<std::string> out;
    if (prefixes.size() == 1 && prefixes.front().len == 0) {
        out.emplace_back();
        return out;
    }
    for (const auto& p : prefixes)
        out.push_back(fmt::format("{} {}", flag, p.str()));
    return out;
}

// "-A CHAIN a b c" with empty fragments left out.
std::string ruleLine(const std::string& chain, std::initializer_list<std::string_view> parts) {
    std::string line = "-A " + chain;
    for (auto p : parts)
        if (!p.empty()) {
            line += ' ';
            line += p;
        }
    return line;
}

struct Chain {
    std::string name;
    std::string group; // kill-switch group whose rules it holds; empty otherwise
    std::string what;  // for the comment line above it
    std::vector<std::string> lines;
};

// The rules of one family.
class FamilyBuilder {
public:
    FamilyBuilder(const LoweredFirewall& fw, const Layout& l, Family fam)
        : fw_(fw), l_(l), fam_(fam), names_(l.names) {
        prefixes_.reserve(fw.objects.size());
        for (const auto& o : fw.objects)
            prefixes_.push_back(normalizePrefixes(fam == Family::V4 ? o.v4 : o.v6));
    }

    void build() {
        // Ahead of the established accept, so a disabled group's open
        // connections are cut too (see KillSwitchMark.hpp).
        for (std::size_t g = 0; g < fw_.killSwitchGroups.size(); ++g)
            forward_.push_back(fmt::format(
                "-A FORWARD {} -j {}",
                comment("netsep kill switch " + fw_.killSwitchGroups[g] + ": cut if disabled"),
                l_.killChain[g]));
        forward_.push_back("-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        forward_.push_back("-A FORWARD -m conntrack --ctstate INVALID -j DROP");
        std::set<std::pair<std::string, std::string>> seenKeys;
        for (std::size_t i = 0; i < fw_.pairs.size(); ++i) {
            const auto& p = fw_.pairs[i];
            std::string c = comment(fmt::format("netsep zone pair {} to {}", p.fromZone, p.toZone));
            for (const auto& in : p.inInterfaces)
                for (const auto& out : p.outInterfaces) {
                    if (!seenKeys.emplace(in, out).second)
                        throw std::invalid_argument(fmt::format(
                            "iptables backend: firewall '{}': interface pair {} -> {} belongs "
                            "to two zone pairs",
                            emit::safeText(fw_.name, 64), in, out));
                    forward_.push_back(fmt::format("-A FORWARD -i {} -o {} {} -j {}", in, out, c,
                                                   l_.pairChain[i]));
                }
        }
        forward_.push_back(
            fmt::format("-A FORWARD {} -j DROP", comment("netsep default deny: no zone pair")));

        for (std::size_t i = 0; i < fw_.pairs.size(); ++i)
            buildPair(i);

        for (std::size_t g = 0; g < fw_.killSwitchGroups.size(); ++g) {
            const std::string& group = fw_.killSwitchGroups[g];
            std::size_t mark = addChain(
                l_.markChain[g], "", "marks and accepts connections of kill-switch group " + group);
            chains_[mark].lines.push_back(fmt::format("-A {} -j CONNMARK --set-xmark {}/0xffffffff",
                                                      l_.markChain[g],
                                                      killSwitchMarkText(fw_, group)));
            chains_[mark].lines.push_back(fmt::format("-A {} -j ACCEPT", l_.markChain[g]));
            addChain(l_.killChain[g], "",
                     "kill switch of group " + group +
                         ": drops its marked connections when disabled");
        }
    }

    const std::vector<Chain>& chains() const { return chains_; }
    const std::vector<std::string>& forward() const { return forward_; }

private:
    std::size_t addChain(std::string name, std::string group, std::string what) {
        chains_.push_back(Chain{std::move(name), std::move(group), std::move(what), {}});
        return chains_.size() - 1;
    }

    void buildPair(std::size_t i) {
        const auto& p = fw_.pairs[i];
        const auto& ks = l_.ksChains[i];
        std::size_t pc =
            addChain(l_.pairChain[i], "", fmt::format("zone pair {} to {}", p.fromZone, p.toZone));
        std::map<std::string, int> ordinal; // policy rule -> lowered rules seen so far
        std::vector<int> ordinals;
        for (const auto& r : p.rules)
            ordinals.push_back(++ordinal[r.policyRule]);

        std::vector<std::string> jumped;
        std::vector<std::size_t> plain; // rules written straight into the pair chain
        for (std::size_t k = 0; k < p.rules.size(); ++k) {
            const auto& r = p.rules[k];
            if (r.killSwitch.empty()) {
                plain.push_back(k);
                continue;
            }
            if (std::find(jumped.begin(), jumped.end(), r.killSwitch) != jumped.end())
                continue;
            emitRules(pc, plain, ordinals, p);
            plain.clear();
            jumped.push_back(r.killSwitch);
            auto it = std::find_if(ks.begin(), ks.end(),
                                   [&](const auto& e) { return e.first == r.killSwitch; });
            chains_[pc].lines.push_back(
                ruleLine(chains_[pc].name,
                         {comment("kill-switch group " + r.killSwitch), "-j", it->second}));
        }
        emitRules(pc, plain, ordinals, p);
        chains_[pc].lines.push_back(
            ruleLine(chains_[pc].name,
                     {comment(fmt::format("netsep default deny {} to {}", p.fromZone, p.toZone)),
                      "-j DROP"}));

        for (const auto& [group, chain] : ks) {
            std::size_t kc = addChain(chain, group,
                                      fmt::format("kill-switch group {} - zone pair {} to {}",
                                                  group, p.fromZone, p.toZone));
            std::vector<std::size_t> members;
            for (std::size_t k = 0; k < p.rules.size(); ++k)
                if (p.rules[k].killSwitch == group)
                    members.push_back(k);
            emitRules(kc, members, ordinals, p);
        }
    }

    // Whether a lowered rule has anything to match in this family.
    bool applies(const LoweredRule& r) const {
        const bool v4 = fam_ == Family::V4;
        return (v4 ? r.v4 : r.v6) && protoFitsFamily(r.match.proto, fam_) &&
               !prefixesOf(r.src).empty() && !prefixesOf(r.dst).empty();
    }

    enum class Side : uint8_t { None, Source, Destination };

    // The side whose address test a run of rules can share: an object of
    // several prefixes (a single prefix costs nothing to repeat).
    std::pair<Side, uint32_t> runKey(const LoweredRule& r) const {
        if (prefixesOf(r.src).size() > 1)
            return {Side::Source, r.src};
        if (prefixesOf(r.dst).size() > 1)
            return {Side::Destination, r.dst};
        return {Side::None, 0};
    }

    // Writes rules `ks` (indices into p.rules, in order) into chain `c`.
    // Consecutive rules with the same many-prefix source (else destination)
    // object share one address test: the chain jumps to a run chain once
    // per prefix, and the run's rules repeat no address match for that
    // side. An object's prefixes are disjoint, so a packet enters the run at
    // most once; one no rule of the run takes returns and goes on in `c`, as
    // it would have without the run. Without this, the internet catch-all
    // (every address outside the other zones, dozens of prefixes) multiplied
    // every internet rule by its prefix count.
    void emitRules(std::size_t c, const std::vector<std::size_t>& ks,
                   const std::vector<int>& ordinals, const ZonePair& p) {
        std::vector<std::size_t> live;
        for (std::size_t k : ks)
            if (applies(p.rules[k]))
                live.push_back(k);
        for (std::size_t i = 0; i < live.size();) {
            const auto key = runKey(p.rules[live[i]]);
            std::size_t j = i + 1;
            while (key.first != Side::None && j < live.size() && runKey(p.rules[live[j]]) == key)
                ++j;
            if (j - i < 2) {
                emitRule(c, p.rules[live[i]], ordinals[live[i]], p, Side::None);
                i = j;
                continue;
            }
            const bool source = key.first == Side::Source;
            const std::string& firstRule = p.rules[live[i]].policyRule;
            const std::string& lastRule = p.rules[live[j - 1]].policyRule;
            const std::string what =
                fmt::format("{} {} for policy rule{}", source ? "source" : "destination",
                            fw_.objects[key.second].name,
                            firstRule == lastRule ? " " + firstRule
                                                  : fmt::format("s {} to {}", firstRule, lastRule));
            std::size_t run = addChain(
                names_.unique(fmt::format("a_{}__{}__{}", firstRule, p.fromZone, p.toZone)),
                chains_[c].group,
                fmt::format("{} - zone pair {} to {}", what, p.fromZone, p.toZone));
            std::string cmt = comment(what);
            for (const auto& a : addressFragments(source ? "-s" : "-d", prefixesOf(key.second)))
                chains_[c].lines.push_back(
                    ruleLine(chains_[c].name, {a, cmt, "-j", chains_[run].name}));
            for (; i < j; ++i)
                emitRule(run, p.rules[live[i]], ordinals[live[i]], p, key.first);
        }
    }

    // Normalised once per object: every rule of a zone shares its objects.
    const std::vector<model::IpPrefix>& prefixesOf(uint32_t object) const {
        if (object >= prefixes_.size())
            throw std::out_of_range("iptables backend: a rule names a missing address object");
        return prefixes_[object];
    }

    std::size_t helper(const LoweredRule& r, int ordinal, const ZonePair& p, const char* level) {
        std::string raw =
            fmt::format("r_{}_{}__{}__{}{}", r.policyRule, ordinal, p.fromZone, p.toZone, level);
        return addChain(names_.unique(raw), r.killSwitch,
                        fmt::format("helper chain {} for policy rule {} - zone pair {} to {}",
                                    std::string_view(level) == "_log" ? "logging and deciding"
                                    : *level                          ? "matching services"
                                                                      : "matching destinations",
                                    r.policyRule, p.fromZone, p.toZone));
    }

    // Writes one lowered rule into chain `c`, as plain rules when the
    // src x dst x service product is small, else through helper chains:
    //   c:       -s S_i -j h1          (one per source prefix)
    //   h1:      -d D_j <svc> -j VERDICT, or, when D x svc is large too,
    //   h1:      -d D_j -j h2          (one per destination prefix)
    //   h2:      <svc_k> -j VERDICT    (one per service alternative)
    // A logged rule with more than two final matches jumps to an action
    // chain (-j LOG, then the verdict) instead of doubling every line.
    // `matched`: the side a run chain has already tested (see emitRules).
    void emitRule(std::size_t c, const LoweredRule& r, int ordinal, const ZonePair& p,
                  Side matched) {
        const std::vector<std::string> none{std::string()};
        auto S = matched == Side::Source ? none : addressFragments("-s", prefixesOf(r.src));
        auto D = matched == Side::Destination ? none : addressFragments("-d", prefixesOf(r.dst));
        auto P = serviceFragments(r.match, fam_);
        std::string cmt = comment(emit::ruleComment(r, kMaxComment));

        auto leaves = [&](std::size_t chain, const std::vector<std::string>& s,
                          const std::vector<std::string>& d, const std::vector<std::string>& svc) {
            std::string state = r.action == Action::Accept ? "-m conntrack --ctstate NEW" : "";
            std::string verdict = r.action == Action::Accept ? "-j ACCEPT" : "-j DROP";
            if (r.action == Action::Accept && !r.killSwitch.empty())
                verdict = "-j " + l_.markChain[l_.groupIndex(fw_, r.killSwitch)];
            std::string log =
                r.log ? "-j LOG --log-prefix " + quoted(emit::logPrefix(r, kMaxLogPrefix)) : "";
            if (r.log && s.size() * d.size() * svc.size() > 2) {
                // Many matches: log and decide once, in an action chain.
                std::size_t act = helper(r, ordinal, p, "_log");
                chains_[act].lines.push_back(ruleLine(chains_[act].name, {cmt, log}));
                chains_[act].lines.push_back(ruleLine(chains_[act].name, {cmt, verdict}));
                log.clear();
                verdict = "-j " + chains_[act].name;
            }
            for (const auto& a : s)
                for (const auto& b : d)
                    for (const auto& e : svc) {
                        const std::string& name = chains_[chain].name;
                        if (!log.empty())
                            chains_[chain].lines.push_back(
                                ruleLine(name, {a, b, e, state, cmt, log}));
                        chains_[chain].lines.push_back(
                            ruleLine(name, {a, b, e, state, cmt, verdict}));
                    }
        };

        std::size_t target = c;
        if (S.size() > 1 && D.size() * P.size() > 1 && S.size() * D.size() * P.size() > kDirect) {
            std::size_t h1 = helper(r, ordinal, p, "");
            for (const auto& a : S)
                chains_[c].lines.push_back(
                    ruleLine(chains_[c].name, {a, cmt, "-j", chains_[h1].name}));
            target = h1;
            S = none;
        }
        // From here on S has one element.
        if (D.size() > 1 && P.size() > 1 && D.size() * P.size() > kDirect) {
            std::size_t h2 = helper(r, ordinal, p, "_d");
            for (const auto& b : D)
                chains_[target].lines.push_back(
                    ruleLine(chains_[target].name, {S.front(), b, cmt, "-j", chains_[h2].name}));
            leaves(h2, none, none, P);
            return;
        }
        leaves(target, S, D, P);
    }

    const LoweredFirewall& fw_;
    const Layout& l_;
    Family fam_;
    emit::NameTable names_;
    std::vector<std::vector<model::IpPrefix>> prefixes_; // per address object, this family
    std::vector<Chain> chains_;
    std::vector<std::string> forward_;
};

std::string txt(std::string_view s) {
    return emit::safeText(s, 200);
}

void appendHeader(std::string& out, const LoweredFirewall& fw, std::string_view line) {
    appendGeneratedHeader(out, "#", txt(fw.policyName), txt(fw.name), fw.provenance, line);
}

std::string familyFile(const LoweredFirewall& fw, const FamilyBuilder& b, Family fam) {
    bool v4 = fam == Family::V4;
    const char* tool = v4 ? "iptables-restore" : "ip6tables-restore";
    const char* file = v4 ? "iptables.rules" : "ip6tables.rules";
    std::string out;
    appendHeader(out, fw, fmt::format("{} filter table.", v4 ? "IPv4" : "IPv6"));
    fmt::format_to(std::back_inserter(out),
                   "# Load with: {} --noflush < {}  (atomic; replaces FORWARD and the\n"
                   "# netsep chains, leaves INPUT/OUTPUT alone). Plain {} also\n"
                   "# works but flushes the whole filter table first. Only routed traffic\n"
                   "# is policed.\n",
                   tool, file, tool);
    out += "*filter\n";
    out += ":FORWARD DROP [0:0]\n";
    for (const auto& c : b.chains())
        fmt::format_to(std::back_inserter(out), ":{} - [0:0]\n", c.name);
    out += "-F FORWARD\n";
    for (const auto& line : b.forward())
        out += line + "\n";
    for (const auto& c : b.chains()) {
        fmt::format_to(std::back_inserter(out), "# {}\n", txt(c.what));
        for (const auto& line : c.lines)
            out += line + "\n";
    }
    out += "COMMIT\n";
    return out;
}

} // namespace

Capabilities IptablesBackend::capabilities() const {
    Capabilities c;
    c.identity = false;
    c.fqdn = false;
    c.ipv6 = true;
    c.portRanges = true;
    c.icmpTypes = true;
    c.logging = true;
    // Same rule as emit::isPlainInterfaceName, so the shared check reports
    // a bad name as a diagnostic before emit() would refuse it.
    c.maxInterfaceName = 15;
    c.interfaceNameChars = "_.-";
    return c;
}

std::vector<std::string> IptablesBackend::killSwitchChains(const LoweredFirewall& fw,
                                                           const std::string& group) {
    Layout l = layoutOf(fw);
    std::vector<std::string> out;
    for (const auto& ks : l.ksChains)
        for (const auto& [g, chain] : ks)
            if (g == group)
                out.push_back(chain);
    return out;
}

std::vector<Artifact> IptablesBackend::emit(const LoweredFirewall& fw) const {
    emit::checkInterfaceNames(fw, "iptables");
    const Layout l = layoutOf(fw);
    std::vector<Artifact> out;
    for (Family fam : {Family::V4, Family::V6}) {
        FamilyBuilder b(fw, l, fam);
        b.build();
        out.push_back(Artifact{fam == Family::V4 ? "iptables.rules" : "ip6tables.rules",
                               familyFile(fw, b, fam)});
    }
    return out;
}

std::vector<Artifact> IptablesBackend::killSwitchRules(const LoweredFirewall& fw,
                                                       const std::string& group) const {
    emit::checkInterfaceNames(fw, "iptables");
    const Layout l = layoutOf(fw);
    std::string file = emit::identifier(group, 64);
    std::vector<Artifact> disable, enable;
    for (Family fam : {Family::V4, Family::V6}) {
        bool v4 = fam == Family::V4;
        const char* tool = v4 ? "iptables" : "ip6tables";
        FamilyBuilder b(fw, l, fam);
        b.build();
        std::string off, on;
        appendHeader(off, fw,
                     fmt::format("Kill switch: disables every exception of group {} ({}).",
                                 txt(group), v4 ? "IPv4" : "IPv6"));
        fmt::format_to(std::back_inserter(off),
                       "# Feed to: {}-restore --noflush (one atomic commit)\n", tool);
        off += "*filter\n";
        appendHeader(on, fw,
                     fmt::format("Kill switch: restores every exception of group {} ({}).",
                                 txt(group), v4 ? "IPv4" : "IPv6"));
        fmt::format_to(std::back_inserter(on),
                       "# Feed to: {}-restore --noflush (one atomic commit)\n", tool);
        on += "*filter\n";
        // With --noflush, declaring a chain that exists flushes it.
        for (const auto& c : b.chains())
            if (c.group == group)
                fmt::format_to(std::back_inserter(on), ":{} - [0:0]\n", c.name);
        for (const auto& ks : l.ksChains)
            for (const auto& [g, chain] : ks)
                if (g == group)
                    fmt::format_to(std::back_inserter(off), "-F {}\n", chain);
        // Declaring an existing chain with --noflush empties it: enabling
        // leaves the kill chain empty, disabling refills it with the drop.
        const std::size_t gi = l.groupIndex(fw, group);
        fmt::format_to(std::back_inserter(off), ":{} - [0:0]\n", l.killChain[gi]);
        fmt::format_to(std::back_inserter(off), "-A {} -m connmark --mark {} {} -j DROP\n",
                       l.killChain[gi], killSwitchMarkText(fw, group),
                       comment("kill switch " + group + " disabled"));
        fmt::format_to(std::back_inserter(on), ":{} - [0:0]\n", l.killChain[gi]);
        for (const auto& c : b.chains())
            if (c.group == group)
                for (const auto& line : c.lines)
                    on += line + "\n";
        off += "COMMIT\n";
        on += "COMMIT\n";
        disable.push_back(Artifact{fmt::format("{}-{}-disable.rules", tool, file), std::move(off)});
        enable.push_back(Artifact{fmt::format("{}-{}-enable.rules", tool, file), std::move(on)});
    }
    std::vector<Artifact> out = std::move(disable);
    for (auto& a : enable)
        out.push_back(std::move(a));
    return out;
}

std::optional<std::vector<Artifact>>
IptablesBackend::killSwitchArtifacts(const LoweredFirewall& fw, const std::string& group) const {
    auto rules = killSwitchRules(fw, group);
    std::string file = emit::identifier(group, 64);
    auto script = [&](const char* verb, const Artifact& v4, const Artifact& v6) {
        std::string path = fmt::format("iptables-killswitch-{}-{}.sh", file, verb);
        std::string out = "#!/bin/sh\n";
        appendHeader(
            out, fw,
            fmt::format("Kill switch: {}s every exception of group {}.", verb, txt(group)));
        fmt::format_to(std::back_inserter(out), "# Run as root on the firewall: sh {}\n", path);
        out += "# One atomic iptables-restore --noflush commit per family; no other rule\n"
               "# is touched.\n";
        out += "set -eu\n";
        for (const auto* a : {&v4, &v6}) {
            fmt::format_to(std::back_inserter(out), "{}-restore --noflush <<'NETSEP_EOF'\n",
                           a == &v4 ? "iptables" : "ip6tables");
            out += a->content;
            out += "NETSEP_EOF\n";
        }
        return Artifact{std::move(path), std::move(out)};
    };
    return std::vector<Artifact>{script("disable", rules[0], rules[1]),
                                 script("enable", rules[2], rules[3])};
}

} // namespace netsep::backends
