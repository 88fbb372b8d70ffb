//! Git: committing exactly the paths an operation touched, hooks, repository state.
