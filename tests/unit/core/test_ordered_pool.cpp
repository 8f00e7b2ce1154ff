// run_ordered: results are consumed in index order whatever the timing, the
// lookahead window is respected, and the first failing index is the one
// reported.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "plifkit/core/ordered_pool.hpp"

namespace plifkit {
namespace {

TEST(OrderedPool, ConsumesInOrderWithinTheWindow) {
  for (int jobs : {1, 2, 5}) {
    std::atomic<int> ahead_max{0};
    std::atomic<int> consumed{0};
    std::vector<std::size_t> order;
    run_ordered<std::size_t>(
        40, jobs, 3,
        [&](std::size_t i, int worker) {
          EXPECT_LT(worker, jobs);
          const int ahead = static_cast<int>(i) - consumed.load();
          int seen = ahead_max.load();
          while (ahead > seen && !ahead_max.compare_exchange_weak(seen, ahead)) {
          }
          // Later items finish first, to shuffle completion order.
          std::this_thread::sleep_for(std::chrono::microseconds((40 - i) * 20));
          return i * i;
        },
        [&](std::size_t i, std::size_t&& r) {
          EXPECT_EQ(r, i * i);
          order.push_back(i);
          consumed = static_cast<int>(i) + 1;
        });
    ASSERT_EQ(order.size(), 40u);
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
    // The pool admits i < (index handed to consume) + 1 + window; this
    // counter moves a moment later, so it may lag by one.
    EXPECT_LE(ahead_max.load(), 3) << "jobs " << jobs;
  }
}

TEST(OrderedPool, ReportsTheFirstFailingIndex) {
  for (int jobs : {1, 4}) {
    std::size_t consumed = 0;
    try {
      run_ordered<int>(
          20, jobs, 8,
          [&](std::size_t i, int) -> int {
            if (i == 13) throw std::runtime_error("13");
            if (i == 7) {
              std::this_thread::sleep_for(std::chrono::milliseconds(5));
              throw std::runtime_error("7");
            }
            return 0;
          },
          [&](std::size_t, int&&) { ++consumed; });
      ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "7");
    }
    EXPECT_EQ(consumed, 7u);
  }
}

TEST(OrderedPool, ConsumerErrorStopsTheWorkers) {
  std::atomic<int> produced{0};
  EXPECT_THROW(run_ordered<int>(
                   1000, 2, 2,
                   [&](std::size_t, int) {
                     ++produced;
                     return 0;
                   },
                   [&](std::size_t i, int&&) {
                     if (i == 3) throw std::logic_error("stop");
                   }),
               std::logic_error);
  EXPECT_LT(produced.load(), 10);
}

TEST(OrderedPool, NothingToDo) {
  run_ordered<int>(0, 4, 2, [](std::size_t, int) { return 0; },
                   [](std::size_t, int&&) { ADD_FAILURE(); });
}

}  // namespace
}  // namespace plifkit
