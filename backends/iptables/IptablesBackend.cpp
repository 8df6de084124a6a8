#include "backends/iptables/IptablesBackend.hpp"

#include "backends/EmitUtil.hpp"
#include "backends/common/AsciiClass.hpp"
#include "backends/common/GeneratedHeader.hpp"
#include "backends/common/KillSwitchMark.hpp"
#include "lower/DeclaredPlacement.hpp"
#include "lower/GlobalRules.hpp"
#include "model/AddressSet.hpp"

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

// Names shared by both families, computed once so that `emit` and the
// kill-switch files agree on them. Every chain starts with the firewall's
// prefix ("ns_<tag>"): the entry chain is the prefix itself, the others
// "<prefix>_...", so the load script can tell this firewall's chains from
// every other chain in the table.
struct Layout {
    std::string entry;      // jumped to from FORWARD; holds the provenance comment
    std::string quarantine; // hook filled by `netsep quarantine`; empty here
    std::string fromOwn;    // packets that came in on one of the firewall's interfaces
    std::string between;    // ... and leave on one of them: netsep's traffic
    std::string decide;     // kill switch: accepts if a group of the connection is on
    std::vector<std::string> switchChain; // per fw.switchGroups: the group's on/off rule
    std::vector<std::string> pairChain;   // per zone pair
    // Per zone pair: (kill-switch group, chain), in order of first rule.
    std::vector<std::vector<std::pair<std::string, std::string>>> ksChains;
    emit::NameTable names{kMaxChain};

    std::size_t switchIndex(const LoweredFirewall& fw, const std::string& group) const {
        auto it = std::lower_bound(fw.switchGroups.begin(), fw.switchGroups.end(), group);
        if (it == fw.switchGroups.end() || *it != group)
            throw std::invalid_argument("iptables backend: unknown kill-switch group");
        return static_cast<std::size_t>(it - fw.switchGroups.begin());
    }
};

// "fw-core" for a short plain firewall name; otherwise up to three of its
// leading characters and a hash, 8 characters in all. Never contains '_',
// so no firewall's prefix is the start of another's "<prefix>_".
std::string firewallTag(const std::string& name) {
    auto plain = [](char c) { return isAsciiAlnum(c) || c == '-'; };
    if (!name.empty() && name.size() <= 8 && std::all_of(name.begin(), name.end(), plain))
        return name;
    std::string base;
    for (char c : name)
        if (plain(c) && base.size() < 3)
            base += c;
    return base + hash8(name).substr(0, 8 - base.size());
}

Layout layoutOf(const LoweredFirewall& fw) {
    Layout l;
    l.entry = IptablesBackend::chainPrefix(fw);
    l.names.reserve(l.entry);
    auto chain = [&](std::string_view raw) {
        return l.names.unique(l.entry + "_" + std::string(raw));
    };
    l.quarantine = chain("quar");
    l.fromOwn = chain("if");
    l.between = chain("fwd");
    l.decide = chain("killswitch");
    for (const auto& g : fw.switchGroups)
        l.switchChain.push_back(chain("sw_" + g));
    for (const auto& p : fw.pairs)
        l.pairChain.push_back(chain(fmt::format("z_{}__{}", p.fromZone, p.toZone)));
    for (const auto& p : fw.pairs) {
        auto& ks = l.ksChains.emplace_back();
        for (const auto& r : p.rules) {
            if (r.killSwitch.empty())
                continue;
            bool seen = std::any_of(ks.begin(), ks.end(),
                                    [&](const auto& e) { return e.first == r.killSwitch; });
            if (!seen)
                ks.emplace_back(r.killSwitch, chain(fmt::format("ks_{}__{}__{}", r.killSwitch,
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

// The rule a switched-on group's switch chain holds: accept connections
// that carry the group's bit.
std::string switchOnLine(const LoweredFirewall& fw, const Layout& l, const std::string& group) {
    return fmt::format("-A {} -m connmark --mark {}/{} {} -j ACCEPT",
                       l.switchChain[l.switchIndex(fw, group)], killSwitchBitText(fw, group),
                       killSwitchBitText(fw, group),
                       comment("netsep kill switch " + group + " on"));
}

// An ipset (hash:net) of one family that the rules match: a declared set
// (the catch-all classification) or an address object's set.
struct SetDef {
    std::string name;
    Family family;
    std::vector<model::IpPrefix> members;
    std::string what;       // for the comment line above it
    unsigned hashsize = 64; // the initial hash; the kernel grows it
};

struct Chain {
    std::string name;
    std::string what; // for the comment line above it
    std::vector<std::string> lines;
    bool pair = false; // a zone pair's chain (or variant): ends in its default deny
};

// The rules of one family.
class FamilyBuilder {
    // The side of a rule whose address test is shared or classified.
    enum class Side : uint8_t { None, Source, Destination };
    // Where an object's addresses of this family lie relative to the
    // declared set (what the catch-all zone leaves out).
    enum class Where : uint8_t { None, CatchAll, Outside, Declared, Both };
    // Which rules of a pair the chain being built holds (inVariant).
    enum class Variant : uint8_t { All, CatchAll, Declared };

public:
    FamilyBuilder(const LoweredFirewall& fw, const Layout& l,
                  const lower::DeclaredPlacement& placement, Family fam)
        : fw_(fw), l_(l), fam_(fam), names_(l.names) {
        prefixes_.reserve(fw.objects.size());
        const bool v4 = fam == Family::V4;
        declared_ = normalizePrefixes(v4 ? fw.declaredV4 : fw.declaredV6);
        for (std::size_t o = 0; o < fw.objects.size(); ++o) {
            // The catch-all is matched by the classification chains (see
            // classify()); inside its pair chains it needs no address test.
            const lower::Placement at = placement.of(static_cast<uint32_t>(o), fam);
            if (at == lower::Placement::CatchAll) {
                prefixes_.push_back({model::IpPrefix{fam, 0, 0}});
                where_.push_back(Where::CatchAll);
                continue;
            }
            prefixes_.push_back(normalizePrefixes(v4 ? fw.objects[o].v4 : fw.objects[o].v6));
            // Nothing declared: no classification, the rule goes everywhere.
            where_.push_back(at == lower::Placement::Empty || declared_.empty() ? Where::None
                             : at == lower::Placement::Declared                 ? Where::Declared
                             : at == lower::Placement::Outside                  ? Where::Outside
                                                                                : Where::Both);
        }
        nameObjectSets();
    }

    void build() {
        const std::string& E = l_.entry;
        std::size_t entry = addChain(E, "entry chain: FORWARD jumps here");
        chains_[entry].lines.push_back(
            fmt::format("-A {} {}", E, comment(IptablesBackend::provenanceComment(fw_))));
        chains_[entry].lines.push_back(
            fmt::format("-A {} {} -j {}", E,
                        comment("netsep quarantine hook: empty unless a quarantine is applied"),
                        l_.quarantine));
        addChain(l_.quarantine, "quarantine hook: netsep quarantine fills it");
        // Only traffic between two of the firewall's interfaces is netsep's:
        // anything else returns to FORWARD untouched.
        std::size_t from = addChain(l_.fromOwn, "came in on an interface of the firewall");
        std::size_t between =
            addChain(l_.between, "between two interfaces of the firewall: netsep decides");
        for (const auto& i : fw_.interfaces) {
            chains_[entry].lines.push_back(fmt::format("-A {} -i {} -j {}", E, i.name, l_.fromOwn));
            chains_[from].lines.push_back(
                fmt::format("-A {} -o {} -j {}", l_.fromOwn, i.name, l_.between));
        }
        auto& fwd = chains_[between].lines;
        const std::string& B = l_.between;
        if (!fw_.switchGroups.empty())
            fwd.push_back(fmt::format(
                "-A {} -m conntrack --ctstate ESTABLISHED,RELATED -m connmark ! --mark 0x0/{} {} "
                "-j {}",
                B, killSwitchMaskText(),
                comment("netsep kill switch: open connections of kill-switch groups"), l_.decide));
        fwd.push_back(fmt::format("-A {} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT", B));
        fwd.push_back(fmt::format("-A {} -m conntrack --ctstate INVALID -j DROP", B));
        // Denies from any to any: once, for every zone pair, without
        // addresses (LoweredRule::global).
        for (const LoweredRule* g : lower::globalRules(fw_)) {
            const LoweredRule& r = *g;
            if (!protoFitsFamily(r.match.proto, fam_))
                continue;
            std::string cmt = comment(emit::ruleComment(r, kMaxComment));
            for (const auto& e : serviceFragments(r.match, fam_)) {
                if (r.log)
                    fwd.push_back(ruleLine(
                        B, {e, cmt,
                            "-j LOG --log-prefix " + quoted(emit::logPrefix(r, kMaxLogPrefix))}));
                fwd.push_back(ruleLine(B, {e, cmt, "-j DROP"}));
            }
        }
        std::set<std::pair<std::string, std::string>> seenKeys;
        for (std::size_t i = 0; i < fw_.pairs.size(); ++i)
            pairSide_.push_back(classifiedSide(fw_.pairs[i]));
        for (Side side : {Side::Source, Side::Destination})
            if (std::find(pairSide_.begin(), pairSide_.end(), side) != pairSide_.end())
                classify_[side == Side::Source ? 0 : 1] = true;
        const std::string clsSrc = classify_[0] ? chainName("cls_src") : std::string();
        const std::string clsDst = classify_[1] ? chainName("cls_dst") : std::string();
        for (std::size_t i = 0; i < fw_.pairs.size(); ++i) {
            const auto& p = fw_.pairs[i];
            std::string c = comment(fmt::format("netsep zone pair {} to {}", p.fromZone, p.toZone));
            const std::string& target = pairSide_[i] == Side::Source        ? clsSrc
                                        : pairSide_[i] == Side::Destination ? clsDst
                                                                            : l_.pairChain[i];
            for (const auto& in : p.inInterfaces)
                for (const auto& out : p.outInterfaces) {
                    if (!seenKeys.emplace(in, out).second)
                        throw std::invalid_argument(fmt::format(
                            "iptables backend: firewall '{}': interface pair {} -> {} belongs "
                            "to two zone pairs",
                            emit::safeText(fw_.name, 64), in, out));
                    fwd.push_back(fmt::format("-A {} -i {} -o {} {} -j {}", B, in, out, c, target));
                }
        }
        chains_[between].lines.push_back(fmt::format(
            "-A {} {} -j DROP", B, comment("netsep default deny: no zone pair or no rule for it")));

        if (!fw_.switchGroups.empty()) {
            std::size_t decide = addChain(
                l_.decide, "kill switch: accepts a connection while one of its groups is on");
            for (std::size_t g = 0; g < fw_.switchGroups.size(); ++g)
                chains_[decide].lines.push_back(fmt::format(
                    "-A {} {} -j {}", l_.decide,
                    comment("netsep kill switch " + fw_.switchGroups[g]), l_.switchChain[g]));
            chains_[decide].lines.push_back(
                fmt::format("-A {} {} -j DROP", l_.decide,
                            comment("netsep kill switch: every group that admits it is off")));
            for (std::size_t g = 0; g < fw_.switchGroups.size(); ++g) {
                const std::string& group = fw_.switchGroups[g];
                bool engaged =
                    std::binary_search(fw_.engagedGroups.begin(), fw_.engagedGroups.end(), group);
                std::size_t sw = addChain(l_.switchChain[g],
                                          fmt::format("kill switch of group {}: {}", group,
                                                      engaged ? "OFF - engaged in the policy"
                                                              : "on - accepts its connections"));
                if (!engaged)
                    chains_[sw].lines.push_back(switchOnLine(fw_, l_, group));
            }
        }

        for (std::size_t i = 0; i < fw_.pairs.size(); ++i) {
            variant_ = Variant::All;
            if (pairSide_[i] != Side::None)
                variant_ = Variant::CatchAll;
            buildPair(i, l_.pairChain[i], l_.ksChains[i]);
        }
        if (classify_[0])
            classify(Side::Source, clsSrc);
        if (classify_[1])
            classify(Side::Destination, clsDst);
        foldEmptyPairs();
    }

    const std::vector<Chain>& chains() const { return chains_; }

    // The sets the rules of this family match: the declared set when a
    // classification chain uses it, then the used object sets by name.
    std::vector<SetDef> sets() const {
        std::vector<SetDef> out;
        if ((classify_[0] || classify_[1]) && !declaredAll() && !declared_.empty())
            out.push_back(SetDef{IptablesBackend::declaredSet(fw_, fam_), fam_, declared_,
                                 "declared addresses: the catch-all zone is every address "
                                 "outside this set",
                                 1024});
        for (const auto& [name, objects] : setObjects_) {
            if (!usedSets_.count(name))
                continue;
            std::vector<std::string> names;
            for (uint32_t o : objects)
                names.push_back(fw_.objects[o].name);
            out.push_back(SetDef{name, fam_, prefixes_[objects.front()],
                                 fmt::format("address object{} {}", names.size() > 1 ? "s" : "",
                                             fmt::join(names, " "))});
        }
        return out;
    }

private:
    // A pair chain that holds nothing but its default deny (a zone pair
    // without rules in this family, or a catch-all variant no rule falls
    // in) is left out with its dispatch rules: the packet meets the
    // dispatch chain's own last rule, a counted DROP, instead (`_fwd` has
    // one; a catch-all dispatch chain that lost a rule gets one). Only
    // zone pairs with rules cost rules.
    void foldEmptyPairs() {
        std::set<std::string, std::less<>> empty;
        for (const auto& c : chains_)
            if (c.pair && c.lines.size() == 1)
                empty.insert(c.name);
        if (empty.empty())
            return;
        static constexpr std::string_view kJump = " -j ";
        for (auto& c : chains_) {
            auto targetsEmpty = [&](const std::string& line) {
                const std::size_t j = line.rfind(kJump);
                return j != std::string::npos &&
                       empty.count(std::string_view(line).substr(j + kJump.size())) > 0;
            };
            const std::size_t before = c.lines.size();
            c.lines.erase(std::remove_if(c.lines.begin(), c.lines.end(), targetsEmpty),
                          c.lines.end());
            if (c.lines.size() != before && c.name != l_.between)
                c.lines.push_back(fmt::format(
                    "-A {} {} -j DROP", c.name,
                    comment("netsep default deny: a zone pair of the catch-all zone without "
                            "rules for these addresses")));
        }
        chains_.erase(std::remove_if(chains_.begin(), chains_.end(),
                                     [&](const Chain& c) { return empty.count(c.name) > 0; }),
                      chains_.end());
    }

    // Every object of several prefixes in this family gets a set, so that a
    // rule tests it with one match whatever its size (one policy rule, one
    // device rule). The name hashes the members: objects with the same
    // prefixes share a set, and a set keeps its name while its members
    // stay. "<prefix>_o4_<hash8>": at most 3 + 8 + 4 + 8 characters, with
    // the staging suffix "-n" within ipset's 31. A hash that two different
    // member lists reach is salted until it is free (in object order, so
    // deterministic).
    void nameObjectSets() {
        objectSet_.assign(prefixes_.size(), std::string());
        std::map<std::string, const std::vector<model::IpPrefix>*> byName;
        const std::string base =
            IptablesBackend::chainPrefix(fw_) + (fam_ == Family::V4 ? "_o4_" : "_o6_");
        for (std::size_t o = 0; o < prefixes_.size(); ++o) {
            if (where_[o] == Where::CatchAll || prefixes_[o].size() < 2)
                continue;
            std::string members;
            for (const auto& p : prefixes_[o])
                members += p.str() + " ";
            for (int salt = 0;; ++salt) {
                std::string name =
                    base + hash8(salt == 0 ? members : fmt::format("{}#{}", members, salt));
                auto [it, fresh] = byName.emplace(name, &prefixes_[o]);
                if (fresh || *it->second == prefixes_[o]) {
                    objectSet_[o] = name;
                    setObjects_[name].push_back(static_cast<uint32_t>(o));
                    break;
                }
            }
        }
    }

    // The address test of one side of a rule: nothing for a single /0 (and
    // for the catch-all, which the classification chains test), "-s P" for
    // one prefix, a set match for several.
    std::string addressMatch(bool source, uint32_t object) {
        const auto& prefixes = prefixesOf(object);
        if (!objectSet_[object].empty()) {
            usedSets_.insert(objectSet_[object]);
            return fmt::format("-m set --match-set {} {}", objectSet_[object],
                               source ? "src" : "dst");
        }
        if (prefixes.size() != 1)
            throw std::logic_error("iptables backend: an object of several prefixes has no set");
        if (prefixes.front().len == 0)
            return {};
        return fmt::format("{} {}", source ? "-s" : "-d", prefixes.front().str());
    }

    bool declaredAll() const { return declared_.size() == 1 && declared_.front().len == 0; }

    std::size_t addChain(std::string name, std::string what) {
        chains_.push_back(Chain{std::move(name), std::move(what), {}});
        return chains_.size() - 1;
    }

    // The catch-all zone is "every address outside the declared set", which
    // iptables cannot test per rule without listing its complement. So the
    // test is made once per packet: the pair chains of the catch-all zone
    // are reached through a classification chain that jumps, per declared
    // prefix, to a dispatch chain for declared addresses and otherwise to
    // one for the rest. Each dispatches by interfaces like `_fwd`, to the
    // pair's chain (the catch-all and its groups; the catch-all needs no
    // address test there) or to its `zd_` variant (SaaS endpoints and
    // other declared addresses arriving through the catch-all's
    // interfaces). Every rule lands in exactly one of the two, so the
    // output is O(rules + declared prefixes), not O(rules x complement).
    void classify(Side side, const std::string& name) {
        const bool source = side == Side::Source;
        std::size_t cls = addChain(
            name, fmt::format("classifies the {} address - declared by a zone or SaaS endpoint or "
                              "in the catch-all zone",
                              source ? "source" : "destination"));
        std::size_t dcl = addChain(chainName(source ? "dsp_src_dcl" : "dsp_dst_dcl"),
                                   fmt::format("zone pairs of the catch-all zone - {} declared",
                                               source ? "source" : "destination"));
        std::size_t out = addChain(chainName(source ? "dsp_src_out" : "dsp_dst_out"),
                                   fmt::format("zone pairs of the catch-all zone - {} in it",
                                               source ? "source" : "destination"));
        // One set match instead of one rule per declared prefix (the set
        // is written to ipset.rules). A declared /0 (every address is
        // declared; hash:net takes no /0) needs no match at all.
        // Nothing declared: every address is the catch-all's.
        if (declaredAll())
            chains_[cls].lines.push_back(
                fmt::format("-A {} -j {}", chains_[cls].name, chains_[dcl].name));
        else if (!declared_.empty())
            chains_[cls].lines.push_back(fmt::format("-A {} -m set --match-set {} {} -j {}",
                                                     chains_[cls].name,
                                                     IptablesBackend::declaredSet(fw_, fam_),
                                                     source ? "src" : "dst", chains_[dcl].name));
        chains_[cls].lines.push_back(fmt::format(
            "-A {} {} -j {}", chains_[cls].name,
            comment("netsep catch-all zone: not a declared address"), chains_[out].name));
        for (std::size_t i = 0; i < fw_.pairs.size(); ++i) {
            if (pairSide_[i] != side)
                continue;
            const auto& p = fw_.pairs[i];
            std::string c = comment(fmt::format("netsep zone pair {} to {}", p.fromZone, p.toZone));
            // The declared-address variant of the pair, with its own
            // kill-switch chains.
            variant_ = Variant::Declared;
            variantSide_ = side;
            std::vector<std::pair<std::string, std::string>> ks;
            for (const auto& r : p.rules)
                if (!r.killSwitch.empty() && inVariant(r) &&
                    std::none_of(ks.begin(), ks.end(),
                                 [&](const auto& e) { return e.first == r.killSwitch; }))
                    ks.emplace_back(r.killSwitch,
                                    chainName(fmt::format("kd_{}__{}__{}", r.killSwitch, p.fromZone,
                                                          p.toZone)));
            const std::string zd = chainName(fmt::format("zd_{}__{}", p.fromZone, p.toZone));
            for (const auto& in : p.inInterfaces)
                for (const auto& o : p.outInterfaces) {
                    chains_[dcl].lines.push_back(
                        fmt::format("-A {} -i {} -o {} {} -j {}", chains_[dcl].name, in, o, c, zd));
                    chains_[out].lines.push_back(fmt::format("-A {} -i {} -o {} {} -j {}",
                                                             chains_[out].name, in, o, c,
                                                             l_.pairChain[i]));
                }
            buildPair(i, zd, ks);
        }
        variant_ = Variant::All;
    }

    // The side of a zone pair that holds the catch-all zone in this family
    // (its rules are then split by classify()), or None.
    Side classifiedSide(const ZonePair& p) const {
        Side side = Side::None;
        for (const auto& r : p.rules) {
            if (!applies(r) || r.global)
                continue;
            Side s = where_[r.src] == Where::CatchAll   ? Side::Source
                     : where_[r.dst] == Where::CatchAll ? Side::Destination
                                                        : Side::None;
            if (s == Side::None)
                continue;
            if (side != Side::None && side != s)
                throw std::logic_error("iptables backend: the catch-all zone on both sides of a "
                                       "zone pair");
            side = s;
        }
        return side;
    }

    // Whether a rule belongs to the pair chain being built: in a pair of
    // the catch-all zone, the catch-all variant takes the rules whose
    // classified side lies outside the declared set, the declared variant
    // the others.
    bool inVariant(const LoweredRule& r) const {
        if (variant_ == Variant::All)
            return true;
        Where w = where_[variantSide_ == Side::Source ? r.src : r.dst];
        if (w == Where::None || w == Where::Both)
            return true;
        return variant_ == Variant::Declared ? w == Where::Declared : w != Where::Declared;
    }

    void buildPair(std::size_t i, const std::string& name,
                   const std::vector<std::pair<std::string, std::string>>& ks) {
        const auto& p = fw_.pairs[i];
        if (variant_ == Variant::CatchAll)
            variantSide_ = pairSide_[i];
        std::size_t pc = addChain(
            name, fmt::format("zone pair {} to {}{}", p.fromZone, p.toZone,
                              variant_ == Variant::Declared
                                  ? " - declared addresses on the catch-all side"
                              : variant_ == Variant::CatchAll ? " - the catch-all zone side"
                                                              : ""));
        chains_[pc].pair = true;
        std::map<std::string, int> ordinal; // policy rule -> lowered rules seen so far
        std::vector<int> ordinals;
        for (const auto& r : p.rules)
            ordinals.push_back(++ordinal[r.policyRule]);

        std::vector<std::string> jumped;
        std::vector<std::size_t> plain; // rules written straight into the pair chain
        for (std::size_t k = 0; k < p.rules.size(); ++k) {
            const auto& r = p.rules[k];
            if (!inVariant(r))
                continue;
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
        // The exception chains only mark; a connection one of them marked
        // is accepted here if one of its groups is on.
        if (!ks.empty())
            chains_[pc].lines.push_back(
                ruleLine(chains_[pc].name,
                         {"-m connmark ! --mark 0x0/" + killSwitchMaskText(),
                          comment("netsep kill switch: exceptions admit while a group is on"), "-j",
                          l_.decide}));
        chains_[pc].lines.push_back(
            ruleLine(chains_[pc].name,
                     {comment(fmt::format("netsep default deny {} to {}", p.fromZone, p.toZone)),
                      "-j DROP"}));

        for (const auto& [group, chain] : ks) {
            std::size_t kc =
                addChain(chain, fmt::format("kill-switch group {} - zone pair {} to {}: "
                                            "marks the connections its exceptions admit",
                                            group, p.fromZone, p.toZone));
            std::vector<std::size_t> members;
            for (std::size_t k = 0; k < p.rules.size(); ++k)
                if (p.rules[k].killSwitch == group && inVariant(p.rules[k]))
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

    // Writes rules `ks` (indices into p.rules, in order) into chain `c`.
    void emitRules(std::size_t c, const std::vector<std::size_t>& ks,
                   const std::vector<int>& ordinals, const ZonePair& p) {
        for (std::size_t k : ks)
            if (applies(p.rules[k]) && !p.rules[k].global) // global: in `_fwd`
                emitRule(c, p.rules[k], ordinals[k], p);
    }

    // Normalised once per object: every rule of a zone shares its objects.
    const std::vector<model::IpPrefix>& prefixesOf(uint32_t object) const {
        if (object >= prefixes_.size())
            throw std::out_of_range("iptables backend: a rule names a missing address object");
        return prefixes_[object];
    }

    // Writes one lowered rule into chain `c`: one line per service
    // alternative (tcp and udp twins, multiport chunks, ICMP types); the
    // address tests are one match each (a set for objects of several
    // prefixes). A logged rule with more than two alternatives jumps to an
    // action chain (-j LOG, then the verdict) instead of doubling every line.
    void emitRule(std::size_t c, const LoweredRule& r, int ordinal, const ZonePair& p) {
        const std::string src = addressMatch(true, r.src);
        const std::string dst = addressMatch(false, r.dst);
        const auto svc = serviceFragments(r.match, fam_);
        const std::string cmt = comment(emit::ruleComment(r, kMaxComment));
        std::string state = r.action == Action::Accept ? "-m conntrack --ctstate NEW" : "";
        std::string verdict = r.action == Action::Accept ? "-j ACCEPT" : "-j DROP";
        if (r.action == Action::Accept && !r.killSwitch.empty()) {
            // An exception marks the connection with its group's bit and
            // goes on; the first rule of the group that matches (bit not
            // yet set) counts and logs.
            const std::string bit = killSwitchBitText(fw_, r.killSwitch);
            state += fmt::format(" -m connmark --mark 0x0/{}", bit);
            verdict = "-j CONNMARK --or-mark " + bit;
        }
        std::string log =
            r.log ? "-j LOG --log-prefix " + quoted(emit::logPrefix(r, kMaxLogPrefix)) : "";
        if (r.log && svc.size() > 2) {
            // Many matches: log and decide once, in an action chain.
            std::size_t act = addChain(
                chainName(fmt::format("r_{}_{}__{}__{}_log", r.policyRule, ordinal, p.fromZone,
                                      p.toZone)),
                fmt::format("helper chain logging and deciding for policy rule {} - zone pair "
                            "{} to {}",
                            r.policyRule, p.fromZone, p.toZone));
            chains_[act].lines.push_back(ruleLine(chains_[act].name, {cmt, log}));
            chains_[act].lines.push_back(ruleLine(chains_[act].name, {cmt, verdict}));
            log.clear();
            verdict = "-j " + chains_[act].name;
        }
        const std::string& name = chains_[c].name;
        for (const auto& e : svc) {
            if (!log.empty())
                chains_[c].lines.push_back(ruleLine(name, {src, dst, e, state, cmt, log}));
            chains_[c].lines.push_back(ruleLine(name, {src, dst, e, state, cmt, verdict}));
        }
    }

    // Helper and run chains: per family, after the shared names.
    std::string chainName(std::string_view raw) {
        return names_.unique(l_.entry + "_" + std::string(raw));
    }

    const LoweredFirewall& fw_;
    const Layout& l_;
    Family fam_;
    emit::NameTable names_;
    std::vector<std::vector<model::IpPrefix>> prefixes_;      // per address object, this family
    std::vector<std::string> objectSet_;                      // per address object: its set, or ""
    std::map<std::string, std::vector<uint32_t>> setObjects_; // set -> objects, in order
    std::set<std::string> usedSets_;                          // sets a rule matches
    std::vector<Where> where_;                                // per address object, this family
    std::vector<model::IpPrefix> declared_;                   // what the catch-all leaves out
    std::vector<Side> pairSide_;                              // per zone pair: the classified side
    bool classify_[2] = {false, false};                       // source, destination chains needed
    Variant variant_ = Variant::All;
    Side variantSide_ = Side::None;
    std::vector<Chain> chains_;
};

std::string txt(std::string_view s) {
    return emit::safeText(s, 200);
}

void appendHeader(std::string& out, const LoweredFirewall& fw, std::string_view line) {
    appendGeneratedHeader(out, "#", txt(fw.policyName), txt(fw.name), fw.provenance, line);
}

constexpr const char* kLoadScript = "iptables-load.sh";
constexpr const char* kSetFile = "ipset.rules";

// ipset.rules: the sets in `ipset restore` syntax, each under a comment
// saying what it holds. The last line, "# end", tells a complete file from
// a truncated one.
std::string setFile(const LoweredFirewall& fw, const Layout& l, const std::vector<SetDef>& sets) {
    std::string out;
    appendHeader(out, fw, fmt::format("Address sets (ipset restore syntax) of {}.", l.entry));
    fmt::format_to(std::back_inserter(out),
                   "# The rules of iptables.rules / ip6tables.rules match them (-m set):\n"
                   "# the declared sets classify the catch-all zone, the others hold the\n"
                   "# prefixes of an address object. Load with: sh {} (it fills staging\n"
                   "# copies and swaps them in with the rules).\n",
                   kLoadScript);
    for (const auto& s : sets) {
        fmt::format_to(std::back_inserter(out), "# {}\n", txt(s.what));
        // hash:net grows its hash itself; maxelem bounds the size only.
        fmt::format_to(std::back_inserter(out),
                       "create {} hash:net family {} hashsize {} maxelem {}\n", s.name,
                       s.family == Family::V4 ? "inet" : "inet6", s.hashsize,
                       std::max<std::size_t>(65536, s.members.size()));
        for (const auto& p : s.members)
            fmt::format_to(std::back_inserter(out), "add {} {}\n", s.name, p.str());
    }
    out += "# end\n";
    return out;
}

// The rule FORWARD holds once, without the "-A FORWARD" / "-I FORWARD 1".
std::string forwardJump(const LoweredFirewall& fw, const Layout& l) {
    return fmt::format("-m comment --comment \"{}\" -j {}",
                       emit::safeText("netsep firewall " + fw.name, kMaxComment), l.entry);
}

std::string familyFile(const LoweredFirewall& fw, const Layout& l, const FamilyBuilder& b,
                       Family fam) {
    bool v4 = fam == Family::V4;
    std::string out;
    appendHeader(out, fw,
                 fmt::format("{} filter table: the chains of netsep only ({} and {}_*).",
                             v4 ? "IPv4" : "IPv6", l.entry, l.entry));
    fmt::format_to(std::back_inserter(out),
                   "# Load with: sh {} (next to this file). It feeds this file to\n"
                   "# {}-restore --noflush in one atomic commit, deletes chains of this\n"
                   "# firewall that an earlier compile left behind, and inserts the one\n"
                   "# jump from FORWARD to {} if FORWARD has none. Nothing else in the\n"
                   "# table is touched. Only routed traffic is policed.\n",
                   kLoadScript, v4 ? "iptables" : "ip6tables", l.entry);
    // The exact jump, for tools that load the file without the script.
    fmt::format_to(std::back_inserter(out), "# FORWARD jump: {}\n", forwardJump(fw, l));
    out += "*filter\n";
    if (fw.forwardPolicyDrop) {
        // A built-in chain declared under --noflush keeps its rules.
        out += "# forward-policy drop: routed traffic netsep does not accept is dropped\n";
        out += ":FORWARD DROP [0:0]\n";
    }
    for (const auto& c : b.chains())
        fmt::format_to(std::back_inserter(out), ":{} - [0:0]\n", c.name);
    for (const auto& c : b.chains()) {
        fmt::format_to(std::back_inserter(out), "# {}\n", txt(c.what));
        for (const auto& line : c.lines)
            out += line + "\n";
    }
    out += "COMMIT\n";
    return out;
}

// Exits the script unless the live entry chain names this compile's
// policy digest (its provenance comment); `--force` skips the check.
void appendDigestGuard(std::string& out, const LoweredFirewall& fw, const Layout& l) {
    const std::string& digest = fw.provenance.policyDigest;
    if (digest.empty())
        return;
    out += "force=no\n";
    out += "if [ \"${1:-}\" = --force ]; then force=yes; fi\n";
    fmt::format_to(std::back_inserter(out), "digest='{}'\n", txt(digest));
    out += "for tool in \"${IPTABLES:-iptables}\" \"${IP6TABLES:-ip6tables}\"; do\n";
    fmt::format_to(std::back_inserter(out),
                   "    if ! \"$tool\" -w -S {} 2>/dev/null | grep -qF \"$digest\"; then\n",
                   l.entry);
    out += "        if [ \"$force\" = yes ]; then\n";
    fmt::format_to(std::back_inserter(out),
                   "            echo \"netsep: warning: $tool: chain {} does not carry policy "
                   "digest $digest; going on (--force)\" >&2\n",
                   l.entry);
    out += "        else\n";
    fmt::format_to(std::back_inserter(out),
                   "            echo \"netsep: $tool: chain {} does not carry policy digest "
                   "$digest: the loaded rules come from another compile (or none). Nothing was "
                   "changed. Make the kill switch of the compile that is loaded (netsep killswitch "
                   "--for-compile DIR), or run this script with --force.\" >&2\n",
                   l.entry);
    out += "            exit 1\n";
    out += "        fi\n";
    out += "    fi\n";
    out += "done\n";
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
    c.maxKillSwitchGroups = kMaxKillSwitchGroups;
    c.killSwitchByState = true;
    return c;
}

std::string IptablesBackend::chainPrefix(const LoweredFirewall& fw) {
    return "ns_" + firewallTag(fw.name);
}

std::string IptablesBackend::quarantineChain(const LoweredFirewall& fw) {
    return layoutOf(fw).quarantine;
}

std::string IptablesBackend::provenanceComment(const LoweredFirewall& fw) {
    // Words only: the comment keeps no punctuation but ':' '.' '/' '-'.
    const auto& p = fw.provenance;
    std::string text = fmt::format("netsep policy {} firewall {}", fw.policyName, fw.name);
    if (!p.policyDigest.empty())
        text += " digest " + p.policyDigest;
    if (!p.netsepVersion.empty())
        text += " netsep " + p.netsepVersion;
    if (!p.asOf.empty())
        text += " as of " + p.asOf;
    return emit::safeText(text, kMaxComment);
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

std::string IptablesBackend::switchChain(const LoweredFirewall& fw, const std::string& group) {
    Layout l = layoutOf(fw);
    return l.switchChain[l.switchIndex(fw, group)];
}

std::vector<Artifact> IptablesBackend::emit(const LoweredFirewall& fw) const {
    emit::checkInterfaceNames(fw, "iptables");
    const Layout l = layoutOf(fw);
    std::vector<Artifact> out;
    std::vector<SetDef> sets;
    std::array<std::vector<std::string>, 2> setNames; // per family
    const lower::DeclaredPlacement placement(fw);
    for (Family fam : {Family::V4, Family::V6}) {
        FamilyBuilder b(fw, l, placement, fam);
        b.build();
        out.push_back(Artifact{fam == Family::V4 ? "iptables.rules" : "ip6tables.rules",
                               familyFile(fw, l, b, fam)});
        for (auto& s : b.sets()) {
            setNames[fam == Family::V4 ? 0 : 1].push_back(s.name);
            sets.push_back(std::move(s));
        }
    }
    out.push_back(Artifact{kLoadScript, loadScript(fw, setNames)});
    if (!sets.empty())
        out.push_back(Artifact{kSetFile, setFile(fw, l, sets)});
    return out;
}

std::string IptablesBackend::declaredSet(const LoweredFirewall& fw, Family fam) {
    // "<prefix>_dcl4": at most 3 + 8 + 5 characters, and with the staging
    // suffix "-n" still far below ipset's 31.
    return chainPrefix(fw) + (fam == Family::V4 ? "_dcl4" : "_dcl6");
}

std::string IptablesBackend::loadScript(const LoweredFirewall& fw,
                                        const std::array<std::vector<std::string>, 2>& familySets) {
    const Layout l = layoutOf(fw);
    std::vector<std::string> sets = familySets[0];
    sets.insert(sets.end(), familySets[1].begin(), familySets[1].end());
    std::string out = "#!/bin/sh\n";
    appendHeader(out, fw, "Loads iptables.rules and ip6tables.rules (next to this script).");
    out += "# Run as root on the firewall: sh iptables-load.sh\n"
           "# Per family one atomic iptables-restore --noflush commit that\n";
    fmt::format_to(std::back_inserter(out),
                   "#  - refills every chain of this firewall ({} and {}_*),\n"
                   "#  - deletes this firewall's chains that the files no longer have,\n"
                   "#  - inserts the jump from FORWARD to {} at the top if FORWARD has\n"
                   "#    none, and removes any second one.\n",
                   l.entry, l.entry, l.entry);
    out += "# Every other rule and chain, and FORWARD's policy";
    out += fw.forwardPolicyDrop ? " (set to DROP here: forward-policy\n# drop)" : "";
    out += ", stay as they are. Loading twice changes nothing.\n"
           "# IPTABLES / IP6TABLES name another variant, e.g. IPTABLES=iptables-legacy.\n";
    if (!sets.empty())
        fmt::format_to(std::back_inserter(out),
                       "# The rules match the address sets of {} (ipset): they are\n"
                       "# filled from {} into staging sets \"<set>-n\" first; per family the\n"
                       "# live sets are swapped with their staging sets right before the commit\n"
                       "# and swapped back if the commit fails. Sets {}_* that the rules no\n"
                       "# longer use are destroyed afterwards. IPSET names another ipset.\n",
                       kSetFile, kSetFile, l.entry);
    out += "set -eu\n";
    out += "dir=$(dirname \"$0\")\n";
    fmt::format_to(std::back_inserter(out), "entry='{}'\n", l.entry);
    fmt::format_to(std::back_inserter(out), "jump='{}'\n", forwardJump(fw, l));
    if (!sets.empty()) {
        fmt::format_to(std::back_inserter(out), "sets='{}'\n", fmt::join(sets, " "));
        out += R"(ipset=${IPSET:-ipset}
setfile=$dir/)";
        out += kSetFile;
        out += R"(
if [ ! -r "$setfile" ] || ! grep -qxF '# end' "$setfile"; then
    echo "netsep: $setfile is missing or incomplete; nothing was changed" >&2
    exit 1
fi
have=" $("$ipset" list -n | tr '\n' ' ') "
unstage() {
    for s in $sets; do "$ipset" -q destroy "$s-n" || true; done
}
trap unstage EXIT
# One ipset restore: old staging copies go, a missing live set is created
# empty (same type, for the swap), the staging copies are filled.
{
    for s in $sets; do
        case $have in *" $s-n "*) echo "destroy $s-n" ;; esac
        case $have in
        *" $s "*) ;;
        *) sed -n "s/^create $s \([^ ]* family [^ ]*\).*/create $s \1/p" "$setfile" ;;
        esac
    done
    sed -e 's/^create \([^ ]*\) /create \1-n /' -e 's/^add \([^ ]*\) /add \1-n /' "$setfile"
} | "$ipset" restore
)";
    }
    out += R"(load() {
    tool=$1
    rules=$dir/$2
    if [ ! -r "$rules" ] || ! grep -qxF COMMIT "$rules"; then
        echo "netsep: $rules is missing or incomplete; nothing was changed" >&2
        exit 1
    fi
    live=$("$tool" -w -S)
    stale=
    for c in $(printf '%s\n' "$live" | sed -n 's/^-N //p'); do
        case $c in
        "$entry" | "$entry"_*)
            grep -qxF ":$c - [0:0]" "$rules" || stale="$stale $c" ;;
        esac
    done
    jumps=$(printf '%s\n' "$live" | grep -x -e "-A FORWARD .*-j $entry" || true)
)";
    if (sets.empty()) {
        out += R"(    {
        grep -vxF COMMIT "$rules"
        for c in $stale; do printf '%s\n' "-F $c"; done
        for c in $stale; do printf '%s\n' "-X $c"; done
        if [ -z "$jumps" ]; then
            printf '%s\n' "-I FORWARD 1 $jump"
        else
            printf '%s\n' "$jumps" | sed '1d; s/^-A /-D /'
        fi
        echo COMMIT
    } | "$tool-restore" -w --noflush
}
load "${IPTABLES:-iptables}" iptables.rules
load "${IP6TABLES:-ip6tables}" ip6tables.rules
)";
        return out;
    }
    out += R"(    fsets=$3
    for s in $fsets; do "$ipset" swap "$s-n" "$s"; done
    if ! {
        grep -vxF COMMIT "$rules"
        for c in $stale; do printf '%s\n' "-F $c"; done
        for c in $stale; do printf '%s\n' "-X $c"; done
        if [ -z "$jumps" ]; then
            printf '%s\n' "-I FORWARD 1 $jump"
        else
            printf '%s\n' "$jumps" | sed '1d; s/^-A /-D /'
        fi
        echo COMMIT
    } | "$tool-restore" -w --noflush; then
        # The old rules see their old sets again.
        for s in $fsets; do "$ipset" swap "$s-n" "$s"; done
        echo "netsep: $tool-restore failed; this family was not changed" >&2
        exit 1
    fi
}
)";
    fmt::format_to(std::back_inserter(out),
                   "load \"${{IPTABLES:-iptables}}\" iptables.rules '{}'\n"
                   "load \"${{IP6TABLES:-ip6tables}}\" ip6tables.rules '{}'\n",
                   fmt::join(familySets[0], " "), fmt::join(familySets[1], " "));
    out += R"(# The staging copies (the old sets now) go; so do sets of this firewall
# that no rule uses any more.
for s in $sets; do echo "destroy $s-n"; done | "$ipset" restore
trap - EXIT
for s in $have; do
    case " $sets " in *" ${s%-n} "*) continue ;; esac
    case $s in
    "$entry"_*) "$ipset" destroy "$s" || echo "netsep: warning: could not destroy set $s" >&2 ;;
    esac
done
)";
    return out;
}

std::vector<Artifact> IptablesBackend::killSwitchRules(const LoweredFirewall& fw,
                                                       const std::string& group) const {
    emit::checkInterfaceNames(fw, "iptables");
    const Layout l = layoutOf(fw);
    const std::string sw = l.switchChain[l.switchIndex(fw, group)];
    std::string file = emit::identifier(group, 64);
    std::vector<Artifact> disable, enable;
    for (Family fam : {Family::V4, Family::V6}) {
        bool v4 = fam == Family::V4;
        const char* tool = v4 ? "iptables" : "ip6tables";
        std::string off, on;
        appendHeader(
            off, fw,
            fmt::format("Kill switch: turns group {} off ({}).", txt(group), v4 ? "IPv4" : "IPv6"));
        appendHeader(on, fw,
                     fmt::format("Kill switch: turns group {} back on ({}).", txt(group),
                                 v4 ? "IPv4" : "IPv6"));
        for (std::string* t : {&off, &on}) {
            fmt::format_to(std::back_inserter(*t),
                           "# Feed to: {}-restore --noflush (one atomic commit). Touches only\n"
                           "# chain {}.\n",
                           tool, sw);
            // With --noflush, declaring a chain that exists flushes it.
            *t += "*filter\n";
            fmt::format_to(std::back_inserter(*t), ":{} - [0:0]\n", sw);
        }
        on += switchOnLine(fw, l, group) + "\n";
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

std::map<std::string, std::set<std::string>>
IptablesBackend::ruleLabels(const LoweredFirewall& fw) const {
    return emit::commentLabels(fw, kMaxComment);
}

std::optional<std::vector<Artifact>>
IptablesBackend::killSwitchArtifacts(const LoweredFirewall& fw, const std::string& group) const {
    auto rules = killSwitchRules(fw, group);
    const Layout l = layoutOf(fw);
    std::string file = emit::identifier(group, 64);
    auto script = [&](const char* verb, const Artifact& v4, const Artifact& v6) {
        bool off = std::string_view(verb) == "disable";
        std::string path = fmt::format("iptables-killswitch-{}-{}.sh", file, verb);
        std::string out = "#!/bin/sh\n";
        appendHeader(out, fw,
                     off ? fmt::format("Kill switch: turns group {} off.", txt(group))
                         : fmt::format("Kill switch: turns group {} back on.", txt(group)));
        fmt::format_to(std::back_inserter(out), "# Run as root on the firewall: sh {} [--force]\n",
                       path);
        if (off)
            out += "# New connections of the group's exceptions are refused, and open ones\n"
                   "# are cut, unless another kill-switch group that is on admits them too.\n";
        else
            out += "# The group's exceptions admit connections again.\n";
        fmt::format_to(std::back_inserter(out),
                       "# One atomic iptables-restore --noflush commit per family, touching only\n"
                       "# chain {}. Refuses (and changes nothing) unless the loaded netsep\n"
                       "# chains come from the compile these files belong to (policy digest\n"
                       "# below); --force skips that check.\n",
                       l.switchChain[l.switchIndex(fw, group)]);
        out += "set -eu\n";
        appendDigestGuard(out, fw, l);
        for (const auto* a : {&v4, &v6}) {
            fmt::format_to(
                std::back_inserter(out), "\"${{{}:-{}}}-restore\" -w --noflush <<'NETSEP_EOF'\n",
                a == &v4 ? "IPTABLES" : "IP6TABLES", a == &v4 ? "iptables" : "ip6tables");
            out += a->content;
            out += "NETSEP_EOF\n";
        }
        return Artifact{std::move(path), std::move(out)};
    };
    return std::vector<Artifact>{script("disable", rules[0], rules[1]),
                                 script("enable", rules[2], rules[3])};
}

} // namespace netsep::backends
