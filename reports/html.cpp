// A single-file HTML compliance report that works offline: the results are embedded as JSON and a small
// script draws the area x target matrix, an outcome filter (also from the URL: #outcome=fail) and every
// case's details (spec reference, expected against observed, the calls made).
#include "reports.hpp"

#include "reports/html_page.hpp"

namespace conformance::reports {

std::string html(const nlohmann::json& doc) {
    std::string data = doc.dump();
    for (size_t p = 0; (p = data.find("</", p)) != std::string::npos; p += 3) data.replace(p, 2, "<\\/");
    std::string page = kHtmlPage;
    page.replace(page.find("@DATA@"), 6, data);
    return page;
}

}  // namespace conformance::reports
