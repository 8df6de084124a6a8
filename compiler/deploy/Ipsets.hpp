#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netsep::deploy {

// netsep's ipsets in one scope: the declared-address sets that the
// iptables catch-all classification matches (ipset.rules of a compile).
// Only a set's type and members count; hash tuning that the kernel changes
// by itself (hashsize, bucketsize, initval) is left out, so equal contents
// give equal canonical text.
struct IpsetState {
    struct Set {
        std::string type;                 // "hash:net family inet maxelem 65536"
        std::vector<std::string> members; // sorted, as `ipset save` spells them
    };
    std::map<std::string, Set> sets;

    bool empty() const { return sets.empty(); }
    // 0 for "family inet", 1 for "family inet6" (the iptables / ip6tables family).
    static int familyOf(const Set& s);
    // "create NAME TYPE" then "add NAME MEMBER" per set, in name order.
    std::string canonical() const;
    // `ipset restore` input (ipset.rules), `ipset save` output or canonical
    // text: only comments, `create` and `add` lines. nullopt with `error`
    // for anything else.
    static std::optional<IpsetState> parse(std::string_view text, std::string& error);
    // The lines of `ipset save` output that belong to the sets whose name
    // starts with one of `prefixes` or is in `names`. Other tools' sets (of
    // any type, with any option) are left out unread.
    static std::string ownedLines(std::string_view save, const std::vector<std::string>& prefixes,
                                  const std::vector<std::string>& names);
    // `ipset restore` input that creates and fills a copy of each set under
    // the name NAME + suffix.
    std::string restoreInput(std::string_view suffix) const;
};

// The suffix of the staging copy a load fills before swapping it in.
inline constexpr std::string_view kIpsetStaging = "-n";

// Checks an ipset.rules for `netsep apply`: "" or why it is refused. Every
// set it creates or fills must be named "<entry>_..." (the firewall's own);
// the file ends with the line "# end" (else it is incomplete).
std::string checkIpsetInput(const std::string& text, const std::string& entry);

} // namespace netsep::deploy
