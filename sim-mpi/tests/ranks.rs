//! A run split over ranks handles every event as one process does.

use sim::InProcess;
use sim_mpi::threads::ThreadRanks;
use sim_mpi::{RankExchange, block, phold};

const TOTAL: u32 = 7;
const END_S: u64 = 300;

/// Every partition's (number, events, digest), the run split over `ranks` threads.
fn split_over(ranks: u32) -> Vec<(u32, u64, u64)> {
    let handles: Vec<_> = ThreadRanks::group(ranks)
        .into_iter()
        .map(|transport| {
            std::thread::spawn(move || {
                let exchange = RankExchange::new(transport, TOTAL);
                let mine = exchange.partitions();
                phold::run(exchange, mine, TOTAL, END_S)
            })
        })
        .collect();
    handles.into_iter().flat_map(|h| h.join().expect("a rank panicked")).collect()
}

#[test]
fn phold_over_any_number_of_ranks_handles_every_event_as_one_process_does() {
    let one = phold::run(InProcess, 0..TOTAL, TOTAL, END_S);
    assert!(one.iter().map(|p| p.1).sum::<u64>() > 10_000, "the test needs real traffic: {one:?}");
    for ranks in [1, 2, 3, TOTAL] {
        assert_eq!(split_over(ranks), one, "{ranks} ranks");
    }
}

#[test]
fn blocks_cover_the_partitions_in_order_without_gap_or_overlap() {
    for total in 1..20u32 {
        for ranks in 1..=total {
            let blocks: Vec<_> = (0..ranks).map(|r| block(total, ranks, r)).collect();
            assert_eq!(blocks[0].start, 0);
            assert_eq!(blocks.last().unwrap().end, total);
            assert!(blocks.windows(2).all(|w| w[0].end == w[1].start));
            assert!(
                blocks.iter().all(|b| b.len() == (total / ranks) as usize || b.len() == (total / ranks + 1) as usize)
            );
        }
    }
}

#[test]
fn weighted_blocks_hold_near_equal_work_and_a_partition_each() {
    let weights = [60u64, 5, 5, 5, 5, 5, 5, 10];
    assert_eq!(sim::weighted_edges(&weights, 2), vec![0, 1, 8], "the heavy partition alone, the rest together");
    assert_eq!(sim::weighted_edges(&weights, 8), (0..=8).collect::<Vec<u32>>(), "one each when ranks = partitions");
    assert_eq!(sim::weighted_edges(&[1, 1, 1, 1], 2), vec![0, 2, 4]);
    // Zero weights still give every rank a partition.
    assert_eq!(sim::weighted_edges(&[0, 0, 0], 3), vec![0, 1, 2, 3]);
    let split = |ranks: u32| -> Vec<(u32, u64, u64)> {
        let handles: Vec<_> = ThreadRanks::group(ranks)
            .into_iter()
            .map(|transport| {
                std::thread::spawn(move || {
                    let exchange = RankExchange::weighted(transport, &[9, 1, 1, 1, 1, 1, 1]);
                    let mine = exchange.partitions();
                    phold::run(exchange, mine, TOTAL, END_S)
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a rank panicked")).collect()
    };
    assert_eq!(split(2), phold::run(InProcess, 0..TOTAL, TOTAL, END_S), "results do not depend on the cuts");
}

#[test]
#[should_panic(expected = "cannot share")]
fn more_ranks_than_partitions_is_refused() {
    block(3, 4, 0);
}
