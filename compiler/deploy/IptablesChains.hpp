#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::deploy {

// Which parts of an iptables filter table are netsep's: its own chains, the
// FORWARD rules that jump into them, FORWARD's policy when the config sets
// it (`:FORWARD DROP [0:0]`: forward-policy drop), and, while a config
// replaces FORWARD as a whole (`-F FORWARD`, older compiles), FORWARD itself.
struct IptablesOwnership {
    std::set<std::string> chains;
    // netsep's entry chain when its chains share one prefix ("ns_core" for
    // "ns_core", "ns_core_z_a__b", ...): every live chain named so is
    // netsep's too, also one an older compile left behind.
    std::string entry;
    bool forwardWhole = false;  // policy and every rule
    bool forwardPolicy = false; // the policy (also when whole)
    bool owns(const std::string& chain) const;
    void add(const IptablesOwnership& o);
    // What a restore input declares or changes (`:NAME`, `-A NAME`, `-F NAME`,
    // ...); FORWARD counts whole when the input both declares and flushes it.
    static IptablesOwnership of(std::string_view restoreInput);
};

// netsep's part of one family's filter table.
struct IptablesChains {
    bool forwardWhole = false;
    std::string forwardPolicy;             // "" unless netsep owns FORWARD's policy
    std::vector<std::string> forwardRules; // "-A FORWARD ..." lines that are netsep's
    std::map<std::string, std::vector<std::string>> chains; // name -> "-A name ..." lines

    bool empty() const {
        return !forwardWhole && forwardPolicy.empty() && forwardRules.empty() && chains.empty();
    }
    IptablesOwnership ownership() const;

    // Canonical text: ":FORWARD POLICY" when netsep owns FORWARD's policy
    // (":FORWARD POLICY all-rules" when it owns FORWARD whole), ":NAME" per
    // chain in name order, then the rules, FORWARD first; counters never
    // appear. Equal states give equal text (drift checks compare it).
    std::string canonical() const;
    static std::optional<IptablesChains> parseCanonical(std::string_view text, std::string& error);

    // netsep's part of an `iptables-save -t filter` listing. Ownership
    // grows to the chains that owned chains jump or go to.
    static std::optional<IptablesChains>
    extract(std::string_view save, const IptablesOwnership& owned, std::string& error);
};

// The `iptables-restore --noflush` input that turns netsep's part of the
// table from `live` into `target` in one commit, leaving every other chain
// and FORWARD rule alone: chains of `target` are declared (created or
// flushed) and refilled, chains only in `live` flushed and deleted, and
// netsep's FORWARD jumps replaced (inserted at the top, in order).
std::string iptablesTransition(const IptablesChains& live, const IptablesChains& target);

// The chain of `chains` that all the others extend with "_" (the entry
// chain of a compile), or "" when there is none.
std::string entryChainOf(const std::set<std::string>& chains);

// The chain a rule line jumps or goes to ("" for a verdict or no target).
std::string ruleTarget(std::string_view line);

// Splits a rule line as iptables-save prints it into words, honouring its
// double quotes ("-m comment --comment \"a b\"").
std::vector<std::string> ruleWords(std::string_view line);

} // namespace netsep::deploy
