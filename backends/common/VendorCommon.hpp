#pragma once
#include "backends/Backend.hpp"
#include "backends/common/Hash8.hpp"
#include "backends/common/PlainName.hpp"
#include "backends/common/PrefixNormalize.hpp"
#include "backends/common/ProtoFamily.hpp"
#include "lower/LoweredPolicy.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

// Helpers shared by the four vendor backends (cisco-asa, juniper-srx,
// paloalto, fortios). Every string that reaches a vendor config passes
// through one of these: names through `mangle`/`NameTable`, free text
// through `text`, and the few values printed verbatim (interface names,
// FQDNs) through a validator that throws instead of printing. See
// docs/backends/*.md for the naming scheme.
namespace netsep::backends::vendor {

// True when `s` is a name every vendor accepts unquoted: 1..maxLen
// characters from [A-Za-z0-9_-], starting with a letter.
using backends::isPlainName;

// A plain name for `raw`: `raw` itself when it already is one; otherwise
// every other character becomes '_', an 'x' is put in front of a
// non-letter start, the result is cut to fit and "_" + hash8(raw) is
// appended. Two different inputs never map to the same mangled name unless
// their hashes collide (and NameTable resolves even that).
std::string mangle(std::string_view raw, std::size_t maxLen);

// Every rule and object netsep creates on a vendor device is named with this
// prefix: it is how netsep (and an operator) tells its own objects from the
// device's others, and what a removal may touch (docs/backends/*.md,
// "Coexistence"). Zones, interfaces and user groups are the device's and
// keep their names.
inline constexpr std::string_view kOwnedPrefix = "netsep-";
bool isOwnedName(std::string_view name);

// Hands out names that are unique within one vendor namespace, compared
// case-insensitively (several vendors fold case). A name already taken gets
// "_2", "_3", ... Deterministic when the calls come in a deterministic order.
// With a prefix, every name handed out starts with it.
class NameTable {
public:
    explicit NameTable(std::size_t maxLen, std::string_view prefix = {})
        : maxLen_(maxLen), prefix_(prefix) {}
    void reserve(std::string_view name);
    // The name of a shared object: the same (kind, raw) always gets the same
    // name; `kind` only separates objects of different kinds whose raw
    // names happen to be equal (an address group and an address entry).
    std::string name(std::string_view kind, std::string_view raw);
    // A new name each call (rules: one raw base may stand for several).
    std::string fresh(std::string_view raw);
    std::size_t maxLen() const { return maxLen_; }

private:
    std::size_t maxLen_;
    std::string prefix_;
    std::unordered_set<std::string> used_;               // lowercase
    std::unordered_map<std::string, std::string> given_; // kind + raw -> name
    std::string key_;                                    // name()'s lookup key
};

// Free text (descriptions, remarks, comments): every character outside
// [A-Za-z0-9 _.:/@,=+()-] becomes '_', then the result is clipped to
// `maxBytes` (ending in "..." when clipped). Never contains a quote, a
// backslash, a control character, '#', ';', '!', '{', '}', '$' or a
// non-ASCII byte, so it is safe inside double quotes and at the end of a
// line in every vendor's syntax.
std::string text(std::string_view raw, std::size_t maxBytes);

// "policy rule NAME at FILE:LINE", plus " kill-switch GROUP" and
// " identity NAME" (" not enforced here" when `identityEnforced` is
// false), sanitised by `text`.
std::string ruleDescription(const lower::LoweredRule& r, std::size_t maxBytes,
                            bool identityEnforced);

// Interface names are printed verbatim (they name hardware), so they are
// checked, never mangled: 1..maxLen characters from [A-Za-z0-9] and `extra`.
bool isInterfaceName(std::string_view name, std::size_t maxLen, std::string_view extra);

// A DNS name that may be printed verbatim: 1..253 characters, labels of
// 1..63 characters from [A-Za-z0-9-] (and '_'), separated by single dots,
// no leading or trailing '-' in a label.
bool isFqdn(std::string_view name);

// Throws std::invalid_argument (naming the backend and firewall, with the
// offending value sanitised) unless `fw` is printable by `backend`: object
// indexes in range, interface names its platform accepts, FQDNs valid, ICMP
// types 0..255 and every zone pair's interfaces declared.
void validate(const lower::LoweredFirewall& fw, const Backend& backend);

// The zones of a firewall in interface order, each with its interfaces.
struct ZoneIfaces {
    std::string zone;
    std::vector<std::string> interfaces;
};
std::vector<ZoneIfaces> zonesOf(const lower::LoweredFirewall& fw);

// One printable service element: a (protocol, destination port range) for
// TCP/UDP, a (protocol, type) for ICMP/ICMPv6 (type -1 = every type), or
// every IP protocol (Proto::Any).
struct ServiceAtom {
    model::Proto proto = model::Proto::Any;
    uint16_t lo = 0, hi = 65535;
    int icmpType = -1;
    bool allPorts() const { return lo == 0 && hi == 65535; }
};

// The atoms of one lowered match: ports sorted and merged, ICMP types
// sorted and deduplicated; one atom for "every port/type".
std::vector<ServiceAtom> serviceAtoms(const lower::Match& m);

// "tcp-443", "tcp-8000-8010", "tcp-all", "udp-53", "icmp-8", "icmp-all",
// "icmp6-128", "icmp6-all", "ip-all".
std::string atomName(const ServiceAtom& a);

// "tcp-80_443_8000-8010": the atoms of a match joined; for naming a group.
std::string matchName(const lower::Match& m);

// The service of tcp/udp twins (lower::tcpUdpTwins) as one group: the
// atoms of both, and its name, "tcp-udp-53" / "tcp-udp-80_443".
std::vector<ServiceAtom> twinAtoms(const lower::Match& tcp, const lower::Match& udp);
std::string twinName(const lower::Match& tcp);

// "tcp", "udp", "icmp", "icmp6" or "ip".
const char* protoWord(model::Proto p);

// Member names for addresses, built only from [A-Za-z0-9_-] so they never
// need mangling: "net-10_1_0_0-16", "net6-fd00_10__-48", "fqdn-api_x_com".
std::string prefixName(const model::IpPrefix& p);
std::string fqdnName(std::string_view fqdn);

// Dotted IPv4 netmask for a prefix length ("255.255.0.0").
std::string v4Mask(unsigned len);

// The base of a per-rule name: "[ks-GROUP-]RULE[-PROTO]". Kill-switch
// exceptions carry their group in the name so an operator (and
// `netsep killswitch`) can find them.
std::string ruleBaseName(const lower::LoweredRule& r);

// A raw name for every rule of every zone pair (indexed like fw.pairs and
// their rules), stable when unrelated rules change: the rule's base name when
// it occurs once on the firewall, else base + "-FROM-TO", else (the same
// policy rule reaching one zone pair from several objects) that plus six hex
// digits of a hash of the source and destination object names. tcp/udp
// twins (lower::tcpUdpTwins), one device rule, share one name ("RULE-tcp-udp").
// A global deny (LoweredRule::global) keeps its bare base name: backends
// write those once (lower::globalRules), not per pair.
// Pass each through a NameTable for the vendor's length and uniqueness.
std::vector<std::vector<std::string>> ruleNames(const lower::LoweredFirewall& fw);

// The firewall's zones under their printed names (from `table`, in
// interface order), and the lookup from policy zone to printed name.
struct NamedZones {
    std::vector<std::pair<std::string, std::vector<std::string>>> zones; // name, interfaces
    std::map<std::string, std::string> byZone;
    // The printed name of `zone`; throws std::invalid_argument (naming the
    // backend and firewall) when no interface of the firewall is in it.
    const std::string& of(const std::string& zone, const lower::LoweredFirewall& fw,
                          const char* backend) const;
};
NamedZones nameZones(const lower::LoweredFirewall& fw, NameTable& table);

// "MARK Generated by netsep from policy P, firewall F. Do not edit." and
// "MARK WHAT", with the names sanitised by `text`.
void appendHeader(std::string& out, std::string_view mark, const lower::LoweredFirewall& fw,
                  std::string_view what);

// Comment lines "MARK LINE" (a bare "MARK" for an empty line), for the
// deployment recipe in a header. The lines are netsep's own text.
void appendComment(std::string& out, std::string_view mark,
                   std::initializer_list<std::string_view> lines);

// `head`, the parts and a newline, appended: vendor lines that share a long
// head (a Junos policy, a PAN-OS rule, a FortiOS policy's indentation) are
// built without a format string per line.
void appendLine(std::string& out, std::string_view head,
                std::initializer_list<std::string_view> parts);

// "sha256:" and the first 12 hex digits of the policy digest ("" without
// provenance): short enough for a commit comment or a remark.
std::string shortDigest(const lower::LoweredFirewall& fw);

// What an earlier compile printed for this firewall, read for removals:
// the file `path` or nullopt; throws PreviousOutputError when it exists but
// does not start with `header` (netsep did not write it, or wrote it for
// another backend).
std::optional<std::string> previousFile(const PreviousOutput& previous, const std::string& path,
                                        std::string_view header);

// Splits a text into its lines (without the newline characters).
std::vector<std::string_view> lines(std::string_view text);

} // namespace netsep::backends::vendor
