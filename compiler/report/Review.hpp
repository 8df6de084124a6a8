#pragma once
#include "review/Explain.hpp"

#include <string>
#include <vector>

namespace netsep::review {
struct PolicyDiff;
}

namespace netsep::report {

// `netsep explain` as text: the flow's ends, the verdict, each firewall with
// the deciding rule per service, exceptions, waivers, identity, and for a
// denied flow the smallest change with the findings it would raise.
// `policyPath` is used in the kill-switch hint.
std::string explainText(const review::Explanation& e, const std::string& policyPath);
// The same as one JSON object (nlohmann ordered_json); `explainJsonArray`
// for --batch (one object per query, in input order).
std::string explainJson(const review::Explanation& e);
std::string explainJsonArray(const std::vector<review::Explanation>& es);

// `netsep diff` in text (a CI log), JSON (tooling) and Markdown (a
// merge-request comment, at most `maxBytes` long: lists are cut with a
// "... N more" line when needed).
std::string diffText(const review::PolicyDiff& d);
std::string diffJson(const review::PolicyDiff& d);
std::string diffMarkdown(const review::PolicyDiff& d, size_t maxBytes = 60000);

} // namespace netsep::report
