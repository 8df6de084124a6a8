#pragma once
#include "backends/common/Hash8.hpp"
#include "backends/common/PrefixNormalize.hpp"
#include "backends/common/ProtoFamily.hpp"
#include "lower/LoweredPolicy.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// Small helpers shared by the text backends: every string that comes from the
// policy passes through one of these before it is printed, so no policy text
// can break out of a comment, a quoted string or an identifier.
namespace netsep::backends::emit {

// Characters allowed verbatim inside quoted comments and log prefixes.
bool isSafeTextChar(char c);

// Replaces every character outside [A-Za-z0-9 _.:/@-] with '_' and clips the
// result to `maxBytes` (ending in "..." when clipped). The result never
// contains quotes, backslashes, control characters or non-ASCII bytes.
std::string safeText(std::string_view text, std::size_t maxBytes);

// An identifier made of [A-Za-z0-9_-] that starts with a letter and has at
// most `maxLen` characters. When `raw` already is one it is returned as is;
// otherwise offending characters become '_', the result is cut to fit and
// "_" + hash8(raw) (backends/common/Hash8.hpp) is appended, so different inputs stay different.
std::string identifier(std::string_view raw, std::size_t maxLen);

// Hands out identifiers that are unique within one output: a name already
// taken gets "_2", "_3", ... (still within maxLen). Deterministic as long as
// the calls come in a deterministic order.
class NameTable {
public:
    explicit NameTable(std::size_t maxLen) : maxLen_(maxLen) {}
    // Reserves a fixed name (e.g. "forward") so generated names avoid it.
    void reserve(const std::string& name) { used_.insert(name); }
    std::string unique(std::string_view raw);

private:
    std::size_t maxLen_;
    std::set<std::string> used_;
};

// A valid Linux interface name that needs no quoting or escaping anywhere:
// 1 to 15 characters from [A-Za-z0-9_.-], not "." or "..". Wildcards ('*',
// '+') are not accepted.
bool isPlainInterfaceName(std::string_view name);

// Throws std::invalid_argument naming the firewall unless every interface of
// `fw` (and of its zone pairs) is a plain interface name.
void checkInterfaceNames(const lower::LoweredFirewall& fw, const char* backend);

// Sorted, overlapping and adjacent ranges merged. An empty result means
// "every port" (also returned when a range covers 0-65535).
std::vector<model::PortRange> normalizePorts(const std::vector<model::PortRange>& ports);

// "policy rule NAME at FILE:LINE" plus kill-switch and identity notes,
// sanitised and clipped to `maxBytes`.
std::string ruleComment(const lower::LoweredRule& rule, std::size_t maxBytes);

// Backend::ruleLabels of the Linux backends: each policy rule's device rules
// are found by their comment (ruleComment clipped to `maxBytes`).
std::map<std::string, std::set<std::string>> commentLabels(const lower::LoweredFirewall& fw,
                                                           std::size_t maxBytes);

// "netsep ACCEPT NAME " / "netsep DROP NAME ", sanitised, at most `maxBytes`.
std::string logPrefix(const lower::LoweredRule& rule, std::size_t maxBytes);

} // namespace netsep::backends::emit
