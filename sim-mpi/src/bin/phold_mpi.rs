//! PHOLD over MPI: `mpirun -n R phold-mpi TOTAL END_S`. Rank 0 prints one line
//! per partition, `partition events digest`, in partition order: the same lines as
//! `phold-mpi TOTAL END_S --in-process` prints without MPI's help.

use mpi::traits::{Communicator, Root};
use sim_mpi::mpi::{Mpi, init};
use sim_mpi::{RankExchange, phold};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let number = |i: usize, what: &str| -> u64 {
        args.get(i).and_then(|a| a.parse().ok()).unwrap_or_else(|| panic!("usage: phold-mpi TOTAL END_S; {what}?"))
    };
    let (total, end_s) = (number(1, "TOTAL") as u32, number(2, "END_S"));
    if args.get(3).is_some_and(|a| a == "--in-process") {
        for (p, events, digest) in phold::run(sim::InProcess, 0..total, total, end_s) {
            println!("{p} {events} {digest}");
        }
        return;
    }
    let universe = init().expect("MPI with serialised threading");
    let exchange = RankExchange::new(Mpi::world(), total);
    let mine = exchange.partitions();
    // Run on a worker thread, as dccsim does: MPI is then called off the main thread.
    let rows = sim::with_threads(1, || phold::run(exchange, mine, total, end_s));
    let mut line = Vec::new();
    for (p, events, digest) in rows {
        line.extend_from_slice(&[u64::from(p), events, digest]);
    }
    let world = universe.world();
    let root = world.process_at_rank(0);
    let n = line.len() as i32;
    if world.rank() == 0 {
        let mut counts = vec![0i32; world.size() as usize];
        root.gather_into_root(&n, &mut counts[..]);
        let mut displs = Vec::with_capacity(counts.len());
        let mut at = 0;
        for &c in &counts {
            displs.push(at);
            at += c;
        }
        let mut all = vec![0u64; at as usize];
        let mut parts = mpi::datatype::PartitionMut::new(&mut all[..], &counts[..], &displs[..]);
        root.gather_varcount_into_root(&line[..], &mut parts);
        for row in all.chunks(3) {
            println!("{} {} {}", row[0], row[1], row[2]);
        }
    } else {
        root.gather_into(&n);
        root.gather_varcount_into(&line[..]);
    }
}
