// The labels CSV parser: rows, CRLF, blank lines, and one error per kind of
// bad row, each naming the file and the line.
#include <gtest/gtest.h>

#include "plifkit/core/error.hpp"
#include "plifkit/events/labels.hpp"

namespace plifkit {
namespace {

const std::string kPath = "user01_led_labels.csv";

void expect_bad(const std::string& text, int line, const std::string& reason) {
  try {
    parse_labels(text, kPath, 11);
    ADD_FAILURE() << "no error, expected: " << reason;
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'" + kPath + "' line " + std::to_string(line) + ":"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find(reason), std::string::npos) << msg;
  }
}

TEST(Labels, ParsesRows) {
  const auto rows = parse_labels(
      "class,startTime_usec,endTime_usec\n1,80048239,85092709\n11,5,5\n3,0,18446744073709551615\n",
      kPath, 11);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].label, 0);
  EXPECT_EQ(rows[0].t_start, 80048239u);
  EXPECT_EQ(rows[0].t_end, 85092709u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].label, 10);  // empty window allowed
  EXPECT_EQ(rows[2].t_end, 18446744073709551615u);
}

TEST(Labels, AcceptsCrlfAndBlankLinesWithoutNewlineAtEnd) {
  const auto rows =
      parse_labels("class,startTime_usec,endTime_usec\r\n2,10,20\r\n\r\n4,30,40", kPath, 11);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].label, 3);
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(Labels, HeaderOnlyHasNoRows) {
  EXPECT_TRUE(parse_labels("class,startTime_usec,endTime_usec\n", kPath, 11).empty());
}

TEST(Labels, RejectsBadRows) {
  const std::string h = "class,startTime_usec,endTime_usec\n";
  expect_bad("", 1, "empty file");
  expect_bad("1,2,3\n", 1, "expected the header");
  expect_bad(h + "1,2\n", 2, "expected 3 fields");
  expect_bad(h + "1,2,3,4\n", 2, "found 4");
  expect_bad(h + "1,2,3\nx,2,3\n", 3, "'x' is not a valid class");
  expect_bad(h + "1,2.5,3\n", 2, "'2.5' is not a valid startTime_usec");
  expect_bad(h + "1,2,-3\n", 2, "'-3' is not a valid endTime_usec");
  expect_bad(h + "1, 2,3\n", 2, "' 2' is not a valid startTime_usec");
  expect_bad(h + "1,,3\n", 2, "'' is not a valid startTime_usec");
  expect_bad(h + "1,2,18446744073709551616\n", 2, "not a valid endTime_usec");
  expect_bad(h + "0,2,3\n", 2, "class 0 outside 1..11");
  expect_bad(h + "12,2,3\n", 2, "class 12 outside 1..11");
  expect_bad(h + "5,30,20\n", 2, "endTime_usec 20 before startTime_usec 30");
}

TEST(Labels, MissingFileIsAnIoError) {
  EXPECT_THROW(read_labels("/nonexistent/x_labels.csv", 11), IoError);
}

}  // namespace
}  // namespace plifkit
