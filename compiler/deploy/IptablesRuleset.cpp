// LiveRuleset for iptables: netsep's chains in the filter table of both
// families, the FORWARD rules that enter them, and the declared-address
// ipsets its catch-all classification matches.
#include "deploy/Ipsets.hpp"
#include "deploy/IptablesChains.hpp"
#include "deploy/LiveRuleset.hpp"
#include "deploy/Tool.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace netsep::deploy {

namespace {

struct Family {
    const char* section; // "*ipv4"
    const char* save;    // "iptables-save"
    const char* restore; // "iptables-restore"
};
constexpr std::array<Family, 2> kFamilies = {
    Family{"*ipv4", "iptables-save", "iptables-restore"},
    Family{"*ipv6", "ip6tables-save", "ip6tables-restore"}};

constexpr const char* kSetSection = "*ipset";

// A snapshot: "*ipv4\n<canonical>*ipv6\n<canonical>", then "*ipset\n<canonical>"
// when netsep has sets; "" when all are empty. (Without sets it is what
// snapshots were before netsep used ipsets.)
std::string join(const std::array<IptablesChains, 2>& fam, const IpsetState& sets) {
    if (fam[0].empty() && fam[1].empty() && sets.empty())
        return {};
    std::string out = std::string(kFamilies[0].section) + "\n" + fam[0].canonical() +
                      kFamilies[1].section + "\n" + fam[1].canonical();
    if (!sets.empty())
        out += std::string(kSetSection) + "\n" + sets.canonical();
    return out;
}

bool split(const std::string& snapshot, std::array<IptablesChains, 2>& fam, IpsetState& sets,
           std::string& error) {
    fam = {};
    sets = {};
    if (snapshot.empty())
        return true;
    std::string head4 = std::string(kFamilies[0].section) + "\n";
    std::string head6 = std::string("\n") + kFamilies[1].section + "\n";
    std::string headSets = std::string("\n") + kSetSection + "\n";
    auto p6 = snapshot.find(head6);
    if (snapshot.rfind(head4, 0) != 0 || p6 == std::string::npos) {
        error = "the recorded iptables snapshot has no *ipv4 / *ipv6 sections";
        return false;
    }
    auto pSets = snapshot.find(headSets, p6 + 1);
    std::size_t end6 = pSets == std::string::npos ? snapshot.size() : pSets + 1;
    for (int f = 0; f < 2; ++f) {
        std::string_view body =
            f == 0
                ? std::string_view(snapshot).substr(head4.size(), p6 + 1 - head4.size())
                : std::string_view(snapshot).substr(p6 + head6.size(), end6 - (p6 + head6.size()));
        auto c = IptablesChains::parseCanonical(body, error);
        if (!c)
            return false;
        fam[f] = std::move(*c);
    }
    if (pSets != std::string::npos) {
        auto s =
            IpsetState::parse(std::string_view(snapshot).substr(pSets + headSets.size()), error);
        if (!s) {
            error = "the recorded ipsets: " + error;
            return false;
        }
        sets = std::move(*s);
    }
    return true;
}

class IptablesRuleset final : public LiveRuleset {
public:
    explicit IptablesRuleset(const NetScope& scope) : scope_(scope) {}

    std::string claim(const Artifact& a) override {
        owned_[0].add(IptablesOwnership::of(a.ipv4));
        owned_[1].add(IptablesOwnership::of(a.ipv6));
        std::string error;
        if (auto sets = IpsetState::parse(a.ipsets, error))
            for (const auto& [name, s] : sets->sets)
                setNames_.push_back(name);
        return {};
    }

    std::string claim(const std::string& snapshot) override {
        std::array<IptablesChains, 2> fam;
        IpsetState sets;
        std::string error;
        if (!split(snapshot, fam, sets, error))
            return error;
        for (int f = 0; f < 2; ++f)
            owned_[f].add(fam[f].ownership());
        for (const auto& [name, s] : sets.sets)
            setNames_.push_back(name);
        return {};
    }

    bool read(std::string& snapshot, std::string& error) override {
        std::array<IptablesChains, 2> fam;
        IpsetState sets;
        if (!readFamilies(fam, error) || !readSets(sets, error))
            return false;
        snapshot = join(fam, sets);
        return true;
    }

    std::string load(const Artifact& a) override {
        std::array<IptablesChains, 2> before;
        std::string error;
        if (!readFamilies(before, error))
            return error;
        std::array<std::string, 2> input = {a.ipv4, a.ipv6};
        if (a.kind != ArtifactKind::Config)
            return commit(input, before, nullptr);
        for (int f = 0; f < 2; ++f)
            input[f] = configInput(input[f], before[f], a.forwardJump);
        auto sets = IpsetState::parse(a.ipsets, error);
        if (!sets)
            return "ipset.rules: " + error;
        return commit(input, before, &*sets);
    }

    std::string restore(const std::string& snapshot) override {
        std::array<IptablesChains, 2> target, before;
        IpsetState sets;
        std::string error;
        if (!split(snapshot, target, sets, error))
            return error;
        for (int f = 0; f < 2; ++f)
            owned_[f].add(target[f].ownership());
        for (const auto& [name, s] : sets.sets)
            setNames_.push_back(name);
        if (!readFamilies(before, error))
            return error;
        std::array<std::string, 2> input;
        for (int f = 0; f < 2; ++f)
            input[f] = iptablesTransition(before[f], target[f]);
        return commit(input, before, &sets);
    }

    std::string anchor() const override { return {}; }

private:
    // Feeds one restore input per family; with `sets` (a config or a
    // snapshot), netsep's sets become exactly `sets` as well. The sets are
    // filled into staging copies first (nothing live changes if that
    // fails), a missing live set is created empty, and each family's sets
    // are swapped with their copies right before that family's commit, so
    // the new rules start with the new sets. A failed commit swaps them
    // back (and puts the first family back when the second fails): the old
    // rules see their old sets again. The copies are destroyed at the end;
    // sets of this firewall that no longer belong (not in `sets`) only after
    // both commits, when no rule uses them.
    std::string commit(const std::array<std::string, 2>& input,
                       const std::array<IptablesChains, 2>& before, const IpsetState* sets) {
        IpsetState live;
        std::string error;
        std::vector<std::string> created;
        if (sets && !sets->empty()) {
            if (!readSets(live, error))
                return error;
            if (std::string e = stage(*sets, live, created); !e.empty()) {
                cleanUp(*sets, created);
                return e;
            }
        }
        for (int f = 0; f < 2; ++f) {
            if (input[f].empty())
                continue;
            std::string e = sets ? swap(*sets, f) : std::string();
            if (e.empty()) {
                e = restoreInput(f, input[f]);
                if (!e.empty() && sets)
                    e += swapBack(*sets, f);
            }
            if (!e.empty()) {
                if (f == 1 && !input[0].empty()) {
                    e += putBack(0, before[0]);
                    if (sets)
                        e += swapBack(*sets, 0);
                }
                if (sets)
                    cleanUp(*sets, created);
                return e;
            }
        }
        if (!sets)
            return {};
        cleanUp(*sets, {});
        if (sets->empty() && !readSets(live, error))
            return {}; // no ipset here: none of netsep's sets can be left over
        for (const auto& [name, s] : live.sets)
            if (!sets->sets.count(name))
                ipset({"destroy", name});
        return {};
    }

    ToolResult ipset(const std::vector<std::string>& args, std::string_view input = {}) {
        std::vector<std::string> argv = {"ipset"};
        argv.insert(argv.end(), args.begin(), args.end());
        return runTool(argv, scope_, input);
    }

    // Fills the staging copies; creates the live sets that do not exist yet
    // (empty, named in `created`).
    std::string stage(const IpsetState& sets, const IpsetState& live,
                      std::vector<std::string>& created) {
        for (const auto& [name, s] : sets.sets)
            ipset({"-q", "destroy", name + std::string(kIpsetStaging)}); // an old copy
        const std::vector<std::string> restoreArgs = {"restore"};
        if (ToolResult r = ipset(restoreArgs, sets.restoreInput(kIpsetStaging)); !r.ok())
            return r.describe({"ipset", "restore"});
        for (const auto& [name, s] : sets.sets) {
            if (live.sets.count(name))
                continue;
            std::vector<std::string> args = {"create", name};
            for (std::size_t i = 0; i < s.type.size();) {
                std::size_t j = s.type.find(' ', i);
                if (j == std::string::npos)
                    j = s.type.size();
                args.push_back(s.type.substr(i, j - i));
                i = j + 1;
            }
            if (ToolResult r = ipset(args); !r.ok())
                return r.describe({"ipset", "create", name});
            created.push_back(name);
        }
        return {};
    }

    // Swaps family f's sets with their staging copies ("" or the error).
    std::string swap(const IpsetState& sets, int f) {
        for (const auto& [name, s] : sets.sets) {
            if (IpsetState::familyOf(s) != f)
                continue;
            std::vector<std::string> args = {"swap", name + std::string(kIpsetStaging), name};
            if (ToolResult r = ipset(args); !r.ok())
                return r.describe({"ipset", "swap", name + std::string(kIpsetStaging), name});
        }
        return {};
    }

    std::string swapBack(const IpsetState& sets, int f) {
        std::string e = swap(sets, f);
        return e.empty() ? "; the old " + std::string(kFamilies[f].section + 1) + " sets are back"
                         : "; putting the old sets back failed too: " + e;
    }

    // Destroys the staging copies and the live sets `created` for this load.
    void cleanUp(const IpsetState& sets, const std::vector<std::string>& created) {
        for (const auto& [name, s] : sets.sets)
            ipset({"-q", "destroy", name + std::string(kIpsetStaging)});
        for (const auto& name : created)
            ipset({"-q", "destroy", name});
    }

    // netsep's sets as they are live: those named "<entry>_..." after an
    // entry chain of netsep's, or named by a claimed snapshot or artifact.
    // Without ipset installed there are none.
    bool readSets(IpsetState& out, std::string& error) {
        out = {};
        const std::vector<std::string> argv = {"ipset", "save"};
        ToolResult r = runTool(argv, scope_);
        if (r.notFound)
            return true;
        if (!r.ok()) {
            error = r.describe(argv);
            return false;
        }
        std::vector<std::string> prefixes;
        for (const auto& o : owned_)
            if (!o.entry.empty())
                prefixes.push_back(o.entry + "_");
        auto mine = IpsetState::parse(IpsetState::ownedLines(r.out, prefixes, setNames_), error);
        if (!mine) {
            error = "reading `ipset save`: " + error;
            return false;
        }
        out = std::move(*mine);
        return true;
    }

    // A compiled config as one commit: the file itself, then what loading
    // it means beyond its own chains (what iptables-load.sh does for a
    // manual load): netsep chains of older compiles that it no longer has
    // are flushed and deleted, and FORWARD gets exactly one jump into its
    // entry chain (inserted at the top when there is none). A config that
    // replaces FORWARD whole carries its jumps itself.
    static std::string configInput(const std::string& file, const IptablesChains& live,
                                   const std::string& jumpSpec) {
        IptablesOwnership declared = IptablesOwnership::of(file);
        auto commit = file.rfind("COMMIT");
        if (commit == std::string::npos)
            return file;
        std::string out = file.substr(0, commit);
        std::vector<std::string> stale;
        for (const auto& [name, rules] : live.chains)
            if (!declared.chains.count(name))
                stale.push_back(name);
        for (const auto& c : stale)
            out += "-F " + c + "\n";
        if (!declared.forwardWhole && !declared.entry.empty()) {
            std::vector<std::string> jumps;
            for (const auto& r : live.forwardRules)
                if (ruleTarget(r) == declared.entry)
                    jumps.push_back(r);
            // Jumps into chains that go away must go first.
            for (const auto& r : live.forwardRules)
                if (std::find(stale.begin(), stale.end(), ruleTarget(r)) != stale.end())
                    out += "-D" + r.substr(2) + "\n";
            if (jumps.empty())
                out +=
                    "-I FORWARD 1 " + (jumpSpec.empty() ? "-j " + declared.entry : jumpSpec) + "\n";
            for (std::size_t i = 1; i < jumps.size(); ++i)
                out += "-D" + jumps[i].substr(2) + "\n";
        }
        for (const auto& c : stale)
            out += "-X " + c + "\n";
        return out + "COMMIT\n";
    }

    bool readFamilies(std::array<IptablesChains, 2>& fam, std::string& error) {
        for (int f = 0; f < 2; ++f) {
            const std::vector<std::string> argv = {kFamilies[f].save, "-t", "filter"};
            ToolResult r = runTool(argv, scope_);
            if (!r.ok()) {
                error = r.describe(argv);
                return false;
            }
            auto c = IptablesChains::extract(r.out, owned_[f], error);
            if (!c)
                return false;
            fam[f] = std::move(*c);
            // What was found stays netsep's (a chain reached by a jump).
            owned_[f].add(fam[f].ownership());
        }
        return true;
    }

    std::string restoreInput(int f, const std::string& input) {
        const std::vector<std::string> argv = {kFamilies[f].restore, "--noflush"};
        ToolResult r = runTool(argv, scope_, input);
        return r.ok() ? std::string() : r.describe(argv);
    }

    // After family `f` was changed and the next one failed: back to `before`.
    std::string putBack(int f, const IptablesChains& before) {
        std::array<IptablesChains, 2> now;
        std::string error;
        if (!readFamilies(now, error))
            return "; restoring the " + std::string(kFamilies[f].section + 1) +
                   " part failed too: " + error;
        std::string e = restoreInput(f, iptablesTransition(now[f], before));
        return e.empty() ? "; the " + std::string(kFamilies[f].section + 1) +
                               " part was put back as it was"
                         : "; restoring the " + std::string(kFamilies[f].section + 1) +
                               " part failed too: " + e;
    }

    NetScope scope_;
    std::array<IptablesOwnership, 2> owned_;
    std::vector<std::string> setNames_; // sets named by claimed snapshots and artifacts
};

} // namespace

std::unique_ptr<LiveRuleset> makeNftRuleset(const NetScope& scope, const std::string& anchor);

std::unique_ptr<LiveRuleset> liveRuleset(RulesetBackend backend, const NetScope& scope,
                                         const std::string& anchor) {
    if (backend == RulesetBackend::Nftables)
        return makeNftRuleset(scope, anchor);
    return std::make_unique<IptablesRuleset>(scope);
}

} // namespace netsep::deploy
