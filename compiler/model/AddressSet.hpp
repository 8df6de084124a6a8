#pragma once
#include "model/IpPrefix.hpp"

#include <vector>

namespace netsep::model {

// A set of addresses of both families as sorted, disjoint, non-adjacent
// inclusive ranges. Used for longest-prefix zone ownership and for the
// minimal prefix lists that backends print.
class AddressSet {
public:
    struct Range {
        Family family;
        u128 lo, hi;
    };

    AddressSet() = default;
    static AddressSet of(const std::vector<IpPrefix>& prefixes);
    // From ranges in any order, overlapping or not: one sort.
    static AddressSet ofRanges(std::vector<Range> ranges);

    void add(const IpPrefix& p);
    void add(const AddressSet& other);
    void subtract(const IpPrefix& p);
    bool empty() const { return ranges_.empty(); }
    bool hasFamily(Family f) const;
    bool contains(const IpPrefix& p) const;
    bool intersects(const AddressSet& other) const;
    bool containsAll(const AddressSet& other) const;
    const std::vector<Range>& ranges() const { return ranges_; }
    // Minimal list of prefixes covering exactly this set, for one family.
    std::vector<IpPrefix> prefixes(Family f) const;

    friend bool operator==(const AddressSet& a, const AddressSet& b);

private:
    void normalize(); // sort, then join
    void join();      // sorted ranges: merge what overlaps or touches
    std::vector<Range> ranges_;
};

} // namespace netsep::model
