#include "backends/common/VendorCommon.hpp"

#include "lower/ServiceTwins.hpp"

#include "backends/common/AsciiClass.hpp"
#include "backends/common/GeneratedHeader.hpp"
#include "backends/common/TextSanitize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace netsep::backends::vendor {

namespace {

bool isTextChar(char c) {
    return isAsciiAlnum(c) || c == ' ' || c == '_' || c == '.' || c == ':' || c == '/' ||
           c == '@' || c == ',' || c == '=' || c == '+' || c == '(' || c == ')' || c == '-';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Sanitised and short, for error messages.
std::string shown(std::string_view s) {
    return text(s, 64);
}

} // namespace

bool isOwnedName(std::string_view name) {
    return name.size() > kOwnedPrefix.size() && name.substr(0, kOwnedPrefix.size()) == kOwnedPrefix;
}

std::string mangle(std::string_view raw, std::size_t maxLen) {
    if (isPlainName(raw, maxLen))
        return std::string(raw);
    std::string suffix = "_" + hash8(raw);
    std::size_t keep = maxLen > suffix.size() ? maxLen - suffix.size() : 1;
    return clipBytes(clipBytes(plainNameBase(raw), keep) + suffix, maxLen);
}

void NameTable::reserve(std::string_view name) {
    used_.insert(lower(name));
}

std::string NameTable::name(std::string_view kind, std::string_view raw) {
    // The key is built in a buffer kept across calls: a vendor firewall
    // names thousands of declared prefixes, most of them looked up again.
    key_.assign(kind);
    key_ += '\n';
    key_ += raw;
    if (auto it = given_.find(key_); it != given_.end())
        return it->second;
    std::string n = fresh(raw);
    given_.emplace(key_, n);
    return n;
}

std::string NameTable::fresh(std::string_view raw) {
    // The prefix is plain, so mangling keeps it at the front.
    std::string full = prefix_;
    full += raw;
    std::string candidate = mangle(full, maxLen_);
    for (unsigned n = 2; !used_.insert(lower(candidate)).second; ++n) {
        std::string suffix = fmt::format("_{}", n);
        std::size_t keep = maxLen_ > suffix.size() ? maxLen_ - suffix.size() : 1;
        candidate = clipBytes(mangle(full, maxLen_), keep) + suffix;
    }
    return candidate;
}

std::string text(std::string_view raw, std::size_t maxBytes) {
    return sanitizeText(raw, maxBytes, [](char c) { return isTextChar(c); });
}

std::string ruleDescription(const lower::LoweredRule& r, std::size_t maxBytes,
                            bool identityEnforced) {
    // Appended rather than formatted: one per device rule.
    std::string s = "policy rule ";
    s += r.policyRule;
    s += " at ";
    s += r.where;
    if (!r.killSwitch.empty()) {
        s += " kill-switch ";
        s += r.killSwitch;
    }
    if (!r.identity.empty()) {
        s += " identity ";
        s += r.identity;
        if (!identityEnforced)
            s += " not enforced here";
    }
    return text(s, maxBytes);
}

bool isInterfaceName(std::string_view name, std::size_t maxLen, std::string_view extra) {
    if (name.empty() || name.size() > maxLen)
        return false;
    return std::all_of(name.begin(), name.end(), [&](char c) {
        return isAsciiAlnum(c) || extra.find(c) != std::string_view::npos;
    });
}

bool isFqdn(std::string_view name) {
    if (name.empty() || name.size() > 253)
        return false;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = name.find('.', start);
        std::string_view label = name.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!isAsciiAlnum(c) && c != '-' && c != '_')
                return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

void validate(const lower::LoweredFirewall& fw, const Backend& backend) {
    auto fail = [&](const std::string& what) {
        throw std::invalid_argument(
            fmt::format("{} backend: firewall '{}': {}", backend.name(), shown(fw.name), what));
    };
    std::set<std::string> declared;
    for (const auto& i : fw.interfaces) {
        // Printed verbatim: a name the platform rejects never reaches the
        // file, and one that would break the syntax never passes either.
        if (!backend.interfaceNameProblem(i.name).empty() || !isInterfaceName(i.name, 64, "/.:_-"))
            fail(fmt::format("'{}' is not a valid interface name here", shown(i.name)));
        declared.insert(i.name);
    }
    for (const auto& o : fw.objects)
        for (const auto& f : o.fqdns)
            if (!isFqdn(f))
                fail(fmt::format("address object '{}' has an invalid domain name '{}'",
                                 shown(o.name), shown(f)));
    for (const auto& p : fw.pairs) {
        for (const auto* list : {&p.inInterfaces, &p.outInterfaces})
            for (const auto& i : *list)
                if (!declared.count(i))
                    fail(fmt::format("zone pair {} -> {} uses undeclared interface '{}'",
                                     shown(p.fromZone), shown(p.toZone), shown(i)));
        for (const auto& r : p.rules) {
            if (r.src >= fw.objects.size() || r.dst >= fw.objects.size())
                fail(fmt::format("rule '{}' names a missing address object", shown(r.policyRule)));
            for (int t : r.match.icmpTypes)
                if (t < 0 || t > 255)
                    fail(fmt::format("rule '{}' has ICMP type {} outside 0-255",
                                     shown(r.policyRule), t));
        }
    }
}

std::vector<ZoneIfaces> zonesOf(const lower::LoweredFirewall& fw) {
    std::vector<ZoneIfaces> out;
    for (const auto& i : fw.interfaces) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const ZoneIfaces& z) { return z.zone == i.zone; });
        if (it == out.end()) {
            out.push_back({i.zone, {}});
            it = out.end() - 1;
        }
        it->interfaces.push_back(i.name);
    }
    return out;
}

std::vector<ServiceAtom> serviceAtoms(const lower::Match& m) {
    std::vector<ServiceAtom> out;
    switch (m.proto) {
    case model::Proto::Any:
        out.push_back({});
        break;
    case model::Proto::Tcp:
    case model::Proto::Udp: {
        std::vector<model::PortRange> ports = m.ports;
        for (auto& r : ports)
            if (r.lo > r.hi)
                std::swap(r.lo, r.hi);
        std::sort(ports.begin(), ports.end());
        std::vector<model::PortRange> merged;
        for (const auto& r : ports) {
            if (!merged.empty() && uint32_t(r.lo) <= uint32_t(merged.back().hi) + 1)
                merged.back().hi = std::max(merged.back().hi, r.hi);
            else
                merged.push_back(r);
        }
        if (merged.empty() || (merged.size() == 1 && merged.front().all()))
            merged = {model::PortRange{}};
        for (const auto& r : merged)
            out.push_back({m.proto, r.lo, r.hi, -1});
        break;
    }
    case model::Proto::Icmp:
    case model::Proto::Icmpv6: {
        std::vector<int> types = m.icmpTypes;
        std::sort(types.begin(), types.end());
        types.erase(std::unique(types.begin(), types.end()), types.end());
        if (types.empty())
            types.push_back(-1);
        for (int t : types)
            out.push_back({m.proto, 0, 65535, t});
        break;
    }
    }
    return out;
}

const char* protoWord(model::Proto p) {
    switch (p) {
    case model::Proto::Tcp:
        return "tcp";
    case model::Proto::Udp:
        return "udp";
    case model::Proto::Icmp:
        return "icmp";
    case model::Proto::Icmpv6:
        return "icmp6";
    case model::Proto::Any:
        break;
    }
    return "ip";
}

std::string atomName(const ServiceAtom& a) {
    switch (a.proto) {
    case model::Proto::Tcp:
    case model::Proto::Udp:
        if (a.allPorts())
            return fmt::format("{}-all", protoWord(a.proto));
        if (a.lo == a.hi)
            return fmt::format("{}-{}", protoWord(a.proto), a.lo);
        return fmt::format("{}-{}-{}", protoWord(a.proto), a.lo, a.hi);
    case model::Proto::Icmp:
    case model::Proto::Icmpv6:
        if (a.icmpType < 0)
            return fmt::format("{}-all", protoWord(a.proto));
        return fmt::format("{}-{}", protoWord(a.proto), a.icmpType);
    case model::Proto::Any:
        break;
    }
    return "ip-all";
}

std::string matchName(const lower::Match& m) {
    auto atoms = serviceAtoms(m);
    if (atoms.size() == 1)
        return atomName(atoms.front());
    std::string s = protoWord(m.proto);
    char sep = '-';
    for (const auto& a : atoms) {
        s.push_back(sep);
        sep = '_';
        if (a.proto == model::Proto::Icmp || a.proto == model::Proto::Icmpv6)
            s += fmt::format("{}", a.icmpType);
        else if (a.lo == a.hi)
            s += fmt::format("{}", a.lo);
        else
            s += fmt::format("{}-{}", a.lo, a.hi);
    }
    return s;
}

std::vector<ServiceAtom> twinAtoms(const lower::Match& tcp, const lower::Match& udp) {
    std::vector<ServiceAtom> atoms = serviceAtoms(tcp);
    for (const auto& a : serviceAtoms(udp))
        atoms.push_back(a);
    return atoms;
}

std::string twinName(const lower::Match& tcp) {
    std::string n = matchName(tcp); // "tcp-53", "tcp-80_443", "tcp-all"
    return "tcp-udp" + n.substr(3);
}

std::string prefixName(const model::IpPrefix& p) {
    std::string addr = model::formatAddress(p.family, p.addr);
    for (char& c : addr)
        if (c == '.' || c == ':')
            c = '_';
    return fmt::format("{}-{}-{}", p.family == model::Family::V4 ? "net" : "net6", addr, p.len);
}

std::string fqdnName(std::string_view fqdn) {
    std::string s = "fqdn-";
    for (char c : fqdn)
        s.push_back(c == '.' ? '_' : c);
    return s;
}

std::string v4Mask(unsigned len) {
    uint32_t mask = len == 0 ? 0 : (len >= 32 ? 0xffffffffu : ~((1u << (32 - len)) - 1));
    return fmt::format("{}.{}.{}.{}", mask >> 24, (mask >> 16) & 255, (mask >> 8) & 255,
                       mask & 255);
}

std::string ruleBaseName(const lower::LoweredRule& r) {
    std::string s;
    s.reserve(r.policyRule.size() + 6);
    if (!r.killSwitch.empty()) {
        s += "ks-";
        s += r.killSwitch;
        s += '-';
    }
    s += r.policyRule;
    if (r.match.proto != model::Proto::Any) {
        s += '-';
        s += protoWord(r.match.proto);
    }
    return s;
}

std::vector<std::vector<std::string>> ruleNames(const lower::LoweredFirewall& fw) {
    // Base names once per rule; hash maps only for counting (never iterated,
    // so the output order stays that of the rules).
    std::vector<std::vector<std::string>> out;
    std::unordered_map<std::string, int> baseCount, pairCount;
    // Per pair: whether a rule is the udp half of tcp/udp twins (it takes
    // the name of the tcp half and counts nowhere).
    std::vector<std::vector<char>> second;
    for (const auto& p : fw.pairs) {
        auto& names = out.emplace_back();
        auto& twin = second.emplace_back(p.rules.size(), 0);
        names.reserve(p.rules.size());
        for (std::size_t ri = 0; ri < p.rules.size(); ++ri) {
            const auto& r = p.rules[ri];
            if (ri > 0 && twin[ri - 1] == 0 && lower::tcpUdpTwins(p.rules[ri - 1], r)) {
                twin[ri] = 1;
                names.back() = ruleBaseName(p.rules[ri - 1]) + "-udp";
                names.push_back(names.back());
                continue;
            }
            names.push_back(ruleBaseName(r));
        }
        for (std::size_t ri = 0; ri < p.rules.size(); ++ri)
            if (!twin[ri])
                ++baseCount[names[ri]];
    }
    // "-FROM-TO" once per pair; the counting key is built in one buffer (a
    // global deny sits in every pair, so this runs pairs x globals times).
    std::vector<std::string> pairSuffix;
    pairSuffix.reserve(fw.pairs.size());
    for (const auto& p : fw.pairs)
        pairSuffix.push_back("-" + p.fromZone + "-" + p.toZone);
    auto inPair = [&](std::size_t pi, const std::string& base) { return base + pairSuffix[pi]; };
    std::string key;
    for (std::size_t pi = 0; pi < fw.pairs.size(); ++pi)
        for (std::size_t ri = 0; ri < out[pi].size(); ++ri)
            if (!second[pi][ri] && baseCount[out[pi][ri]] > 1) {
                key.assign(out[pi][ri]);
                key += pairSuffix[pi];
                ++pairCount[key];
            }
    for (std::size_t pi = 0; pi < fw.pairs.size(); ++pi) {
        const auto& p = fw.pairs[pi];
        for (std::size_t ri = 0; ri < p.rules.size(); ++ri) {
            std::string& name = out[pi][ri];
            if (second[pi][ri]) {
                name = out[pi][ri - 1];
                continue;
            }
            // Global denies sit in every zone pair and are named elsewhere
            // (lower::globalRules): only their counts above matter.
            if (p.rules[ri].global)
                continue;
            if (baseCount[name] == 1)
                continue;
            std::string ctx = inPair(pi, name);
            if (pairCount[ctx] > 1) {
                const auto& r = p.rules[ri];
                const auto& src = r.src < fw.objects.size() ? fw.objects[r.src].name : "";
                const auto& dst = r.dst < fw.objects.size() ? fw.objects[r.dst].name : "";
                ctx += "-" + hash8(src + "\n" + dst).substr(0, 6);
            }
            name = std::move(ctx);
        }
    }
    return out;
}

NamedZones nameZones(const lower::LoweredFirewall& fw, NameTable& table) {
    NamedZones out;
    for (const auto& z : zonesOf(fw)) {
        out.byZone[z.zone] = table.name("zone", z.zone);
        out.zones.emplace_back(out.byZone[z.zone], z.interfaces);
    }
    return out;
}

const std::string& NamedZones::of(const std::string& zone, const lower::LoweredFirewall& fw,
                                  const char* backend) const {
    auto it = byZone.find(zone);
    if (it == byZone.end())
        throw std::invalid_argument(
            fmt::format("{} backend: firewall '{}': zone '{}' has no interface", backend,
                        text(fw.name, 64), text(zone, 64)));
    return it->second;
}

void appendHeader(std::string& out, std::string_view mark, const lower::LoweredFirewall& fw,
                  std::string_view what) {
    appendGeneratedHeader(out, mark, text(fw.policyName, 120), text(fw.name, 120), fw.provenance,
                          what);
}

void appendLine(std::string& out, std::string_view head,
                std::initializer_list<std::string_view> parts) {
    out += head;
    for (std::string_view p : parts)
        out += p;
    out += '\n';
}

void appendComment(std::string& out, std::string_view mark,
                   std::initializer_list<std::string_view> lines) {
    for (std::string_view l : lines) {
        out += mark;
        if (!l.empty()) {
            out += ' ';
            out += l;
        }
        out += '\n';
    }
}

std::string shortDigest(const lower::LoweredFirewall& fw) {
    std::string_view d = fw.provenance.policyDigest; // "sha256:<hex>"
    std::string out;
    for (char c : d.substr(0, 7 + 12))
        if (isAsciiAlnum(c) || c == ':')
            out += c;
    return out;
}

std::optional<std::string> previousFile(const PreviousOutput& previous, const std::string& path,
                                        std::string_view header) {
    if (!previous)
        return std::nullopt;
    auto text = previous(path);
    if (text && text->compare(0, header.size(), header) != 0)
        throw PreviousOutputError(path + " was not written by netsep for this backend");
    return text;
}

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        out.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

} // namespace netsep::backends::vendor
