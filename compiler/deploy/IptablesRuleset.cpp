// LiveRuleset for iptables: netsep's chains in the filter table of both
// families, and the FORWARD rules that enter them.
#include "deploy/IptablesChains.hpp"
#include "deploy/LiveRuleset.hpp"
#include "deploy/Tool.hpp"

#include <algorithm>
#include <array>

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

// A snapshot: "*ipv4\n<canonical>*ipv6\n<canonical>", or "" when both are empty.
std::string join(const std::array<IptablesChains, 2>& fam) {
    if (fam[0].empty() && fam[1].empty())
        return {};
    return std::string(kFamilies[0].section) + "\n" + fam[0].canonical() + kFamilies[1].section +
           "\n" + fam[1].canonical();
}

bool split(const std::string& snapshot, std::array<IptablesChains, 2>& fam, std::string& error) {
    fam = {};
    if (snapshot.empty())
        return true;
    std::string head4 = std::string(kFamilies[0].section) + "\n";
    std::string head6 = std::string("\n") + kFamilies[1].section + "\n";
    auto p6 = snapshot.find(head6);
    if (snapshot.rfind(head4, 0) != 0 || p6 == std::string::npos) {
        error = "the recorded iptables snapshot has no *ipv4 / *ipv6 sections";
        return false;
    }
    for (int f = 0; f < 2; ++f) {
        std::string_view body =
            f == 0 ? std::string_view(snapshot).substr(head4.size(), p6 + 1 - head4.size())
                   : std::string_view(snapshot).substr(p6 + head6.size());
        auto c = IptablesChains::parseCanonical(body, error);
        if (!c)
            return false;
        fam[f] = std::move(*c);
    }
    return true;
}

class IptablesRuleset final : public LiveRuleset {
public:
    explicit IptablesRuleset(const NetScope& scope) : scope_(scope) {}

    std::string claim(const Artifact& a) override {
        owned_[0].add(IptablesOwnership::of(a.ipv4));
        owned_[1].add(IptablesOwnership::of(a.ipv6));
        return {};
    }

    std::string claim(const std::string& snapshot) override {
        std::array<IptablesChains, 2> fam;
        std::string error;
        if (!split(snapshot, fam, error))
            return error;
        for (int f = 0; f < 2; ++f)
            owned_[f].add(fam[f].ownership());
        return {};
    }

    bool read(std::string& snapshot, std::string& error) override {
        std::array<IptablesChains, 2> fam;
        if (!readFamilies(fam, error))
            return false;
        snapshot = join(fam);
        return true;
    }

    std::string load(const Artifact& a) override {
        std::array<IptablesChains, 2> before;
        std::string error;
        if (!readFamilies(before, error))
            return error;
        std::array<std::string, 2> input = {a.ipv4, a.ipv6};
        if (a.kind == ArtifactKind::Config)
            for (int f = 0; f < 2; ++f)
                input[f] = configInput(input[f], before[f], a.forwardJump);
        for (int f = 0; f < 2; ++f) {
            if (input[f].empty())
                continue;
            if (std::string e = restoreInput(f, input[f]); !e.empty()) {
                if (f == 1 && !input[0].empty())
                    e += putBack(0, before[0]);
                return e;
            }
        }
        return {};
    }

    std::string restore(const std::string& snapshot) override {
        std::array<IptablesChains, 2> target, before;
        std::string error;
        if (!split(snapshot, target, error))
            return error;
        for (int f = 0; f < 2; ++f)
            owned_[f].add(target[f].ownership());
        if (!readFamilies(before, error))
            return error;
        for (int f = 0; f < 2; ++f) {
            std::string e = restoreInput(f, iptablesTransition(before[f], target[f]));
            if (!e.empty()) {
                if (f == 1)
                    e += putBack(0, before[0]);
                return e;
            }
        }
        return {};
    }

    std::string anchor() const override { return {}; }

private:
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
