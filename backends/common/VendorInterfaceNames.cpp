#include "backends/common/VendorInterfaceNames.hpp"

#include "backends/common/AsciiClass.hpp"

#include <algorithm>
#include <array>

namespace netsep::backends::vendor {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isLower(char c) {
    return c >= 'a' && c <= 'z';
}

// Reads a decimal number of 1..maxDigits digits without a leading zero
// (other than "0" itself) at `s`, advancing it; false when there is none or
// it is outside min..max.
bool number(std::string_view& s, unsigned long max, unsigned maxDigits = 10,
            unsigned long min = 0) {
    std::size_t n = 0;
    while (n < s.size() && isDigit(s[n]))
        ++n;
    if (n == 0 || n > maxDigits || (n > 1 && s[0] == '0'))
        return false;
    unsigned long v = 0;
    for (std::size_t i = 0; i < n; ++i)
        v = v * 10 + static_cast<unsigned long>(s[i] - '0');
    s.remove_prefix(n);
    return v >= min && v <= max;
}

bool eat(std::string_view& s, std::string_view what) {
    if (s.substr(0, what.size()) != what)
        return false;
    s.remove_prefix(what.size());
    return true;
}

// Junos logical unit numbers go up to 1073741823 (16385 on many PICs).
constexpr unsigned long kMaxJunosUnit = 1073741823;

bool junosUnit(std::string_view s) {
    return eat(s, ".") && number(s, kMaxJunosUnit) && s.empty();
}

} // namespace

std::string junosInterfaceProblem(std::string_view name) {
    const std::string expected =
        "Junos security zones take logical interfaces: TYPE-FPC/PIC/PORT.UNIT such as "
        "ge-0/0/0.0 or xe-1/0/2:1.100, or aeN.UNIT, rethN.UNIT, loN.UNIT, stN.UNIT, irb.UNIT, "
        "vlan.UNIT";
    std::string_view s = name;
    // irb.N / vlan.N
    for (std::string_view bare : {"irb", "vlan"}) {
        std::string_view t = s;
        if (eat(t, bare) && junosUnit(t))
            return {};
    }
    // aeN.U, rethN.U, loN.U, stN.U, ... (letters, then a number, then the unit)
    std::size_t letters = 0;
    while (letters < s.size() && isLower(s[letters]))
        ++letters;
    if (letters == 0 || letters > 5)
        return expected;
    std::string_view kind = s.substr(0, letters);
    std::string_view t = s.substr(letters);
    if (!t.empty() && isDigit(t[0])) {
        static constexpr std::array<std::string_view, 9> kNumbered = {
            "ae", "reth", "lo", "st", "ppp", "pp", "dl", "fxp", "em"};
        if (std::find(kNumbered.begin(), kNumbered.end(), kind) == kNumbered.end())
            return expected;
        return number(t, 65535, 5) && junosUnit(t) ? std::string() : expected;
    }
    // TYPE-FPC/PIC/PORT[:CHANNEL].UNIT
    if (!eat(t, "-") || !number(t, 255, 3) || !eat(t, "/") || !number(t, 255, 3) || !eat(t, "/") ||
        !number(t, 255, 3))
        return expected;
    if (eat(t, ":") && !number(t, 255, 3))
        return expected;
    return junosUnit(t) ? std::string() : expected;
}

std::string asaNameifProblem(std::string_view name) {
    static constexpr std::array<std::string_view, 13> kHardware = {"gigabitethernet",
                                                                   "tengigabitethernet",
                                                                   "fortygigabitethernet",
                                                                   "hundredgige",
                                                                   "fastethernet",
                                                                   "ethernet",
                                                                   "management",
                                                                   "port-channel",
                                                                   "redundant",
                                                                   "bvi",
                                                                   "vlan",
                                                                   "internal-data",
                                                                   "tunnel"};
    std::string lower(name);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    bool hardware = name.find('/') != std::string_view::npos;
    for (std::string_view h : kHardware)
        if (lower.size() > h.size() && lower.compare(0, h.size(), h) == 0 &&
            isDigit(lower[h.size()]))
            hardware = true;
    if (hardware)
        return "this is a hardware interface name; ASA access-groups bind to the interface's "
               "nameif (its logical name, such as inside or dmz)";
    bool ok = !name.empty() && name.size() <= 48 && isAsciiLetter(name[0]) &&
              std::all_of(name.begin(), name.end(), [](char c) {
                  return isAsciiAlnum(c) || c == '_' || c == '.' || c == '-';
              });
    return ok ? std::string()
              : "an ASA nameif is 1-48 characters from A-Z a-z 0-9 _ . - starting with a letter";
}

std::string panosInterfaceProblem(std::string_view name) {
    const std::string expected =
        "PAN-OS names layer-3 interfaces ethernetSLOT/PORT (ethernet1/1), subinterfaces "
        "ethernet1/1.10, aeN, aeN.TAG, vlan.N, loopback.N or tunnel.N (TAG 1-9999)";
    auto tag = [](std::string_view t) {
        if (t.empty())
            return true;
        return eat(t, ".") && number(t, 9999, 4, 1) && t.empty();
    };
    std::string_view t = name;
    if (eat(t, "ethernet"))
        return number(t, 255, 3) && eat(t, "/") && number(t, 255, 3) && tag(t) ? std::string()
                                                                               : expected;
    t = name;
    if (eat(t, "ae"))
        return number(t, 255, 3) && tag(t) ? std::string() : expected;
    for (std::string_view bare : {"vlan", "loopback", "tunnel"}) {
        t = name;
        if (eat(t, bare))
            return tag(t) ? std::string() : expected;
    }
    return expected;
}

std::string fortiosInterfaceProblem(std::string_view name) {
    if (name == "any")
        return "'any' means every interface in a FortiOS policy";
    bool ok = !name.empty() && name.size() <= 15 && isAsciiAlnum(name[0]) &&
              std::all_of(name.begin(), name.end(), [](char c) {
                  return isAsciiAlnum(c) || c == '_' || c == '.' || c == '-';
              });
    return ok ? std::string()
              : "FortiOS interface names are 1-15 characters from A-Z a-z 0-9 _ . - (port1, "
                "wan1, internal, vlan100)";
}

} // namespace netsep::backends::vendor
