// A results file given to `report`: read and rendered into every view, or refused with a ResultsError.
#include "reports/reports.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = write_input("r.json", data, size);
    namespace r = conformance::reports;
    try {
        auto doc = r::load(path);
        r::junit(doc);
        r::html(doc);
        r::markdown(doc);
        r::call_log(doc);
        r::merge({doc, doc}, {path, path});
    } catch (const r::ResultsError&) {
    }
    return 0;
}
