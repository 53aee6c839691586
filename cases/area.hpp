// Each area's source registers the rows of its spec table as Catch2 test cases, one per case, tagged with
// its row id, area and errnos. The table says what to call and what to expect; cases/rules says how each
// expectation is judged.
#pragma once

#include <string>
#include <vector>

namespace conformance::cases {

struct Area {
    std::string name;    // the table fixtures/tables/<name>.yaml
    std::string clause;  // what the spec says about the area, by clause
};

std::vector<Area>& areas();
bool register_area(const char* name, const char* clause);

}  // namespace conformance::cases

#define SEMGET_AREA(name, clause) \
    static const bool semget_area_registered = conformance::cases::register_area(name, clause)
