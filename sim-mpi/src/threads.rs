//! Ranks that are threads of one process: a transport with MPI's collective
//! semantics, so that splitting a run over ranks is tested without MPI.

use std::sync::{Arc, Barrier, Mutex};

use crate::Collectives;

/// What the ranks of a group share: their posted values, and a barrier between
/// posting and reading.
struct Board {
    barrier: Barrier,
    mins: Mutex<Vec<u64>>,
    sums: Mutex<Vec<u64>>,
    /// Each rank's send buffer and segment lengths.
    sends: Mutex<Vec<(Vec<u8>, Vec<usize>)>>,
}

/// One rank of a group of threads.
pub struct ThreadRanks {
    rank: u32,
    ranks: u32,
    board: Arc<Board>,
}

impl ThreadRanks {
    /// A group of `ranks` ranks, one for each thread to run.
    pub fn group(ranks: u32) -> Vec<ThreadRanks> {
        let n = ranks as usize;
        let board = Arc::new(Board {
            barrier: Barrier::new(n),
            mins: Mutex::new(vec![u64::MAX; n]),
            sums: Mutex::new(vec![0; n]),
            sends: Mutex::new(vec![(Vec::new(), Vec::new()); n]),
        });
        (0..ranks).map(|rank| ThreadRanks { rank, ranks, board: Arc::clone(&board) }).collect()
    }
}

impl Collectives for ThreadRanks {
    fn rank(&self) -> u32 {
        self.rank
    }

    fn ranks(&self) -> u32 {
        self.ranks
    }

    fn all_reduce_min(&mut self, value: u64) -> u64 {
        self.board.mins.lock().expect("a rank panicked")[self.rank as usize] = value;
        self.board.barrier.wait();
        let least = self.board.mins.lock().expect("a rank panicked").iter().copied().min().unwrap_or(u64::MAX);
        // Nobody posts the next value before everyone has read this one.
        self.board.barrier.wait();
        least
    }

    fn all_to_all(&mut self, send: &[u8], send_counts: &[usize], recv: &mut Vec<u8>, recv_counts: &mut Vec<usize>) {
        let me = self.rank as usize;
        {
            let mut sends = self.board.sends.lock().expect("a rank panicked");
            let (bytes, counts) = &mut sends[me];
            bytes.clear();
            bytes.extend_from_slice(send);
            counts.clear();
            counts.extend_from_slice(send_counts);
        }
        self.board.barrier.wait();
        recv.clear();
        recv_counts.clear();
        for (bytes, counts) in self.board.sends.lock().expect("a rank panicked").iter() {
            let start: usize = counts[..me].iter().sum();
            recv.extend_from_slice(&bytes[start..start + counts[me]]);
            recv_counts.push(counts[me]);
        }
        self.board.barrier.wait();
    }

    fn all_reduce_sum(&mut self, value: u64) -> u64 {
        self.board.sums.lock().expect("a rank panicked")[self.rank as usize] = value;
        self.board.barrier.wait();
        let sum = self.board.sums.lock().expect("a rank panicked").iter().sum();
        self.board.barrier.wait();
        sum
    }

    fn gather(&mut self, bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
        {
            let mut sends = self.board.sends.lock().expect("a rank panicked");
            let (mine, _) = &mut sends[self.rank as usize];
            mine.clear();
            mine.extend_from_slice(bytes);
        }
        self.board.barrier.wait();
        let all = (self.rank == 0)
            .then(|| self.board.sends.lock().expect("a rank panicked").iter().map(|(b, _)| b.clone()).collect());
        self.board.barrier.wait();
        all
    }
}
