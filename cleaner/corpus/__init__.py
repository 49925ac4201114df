"""A corpus on disk, cleaned as a stream: from the files a run takes to the files it writes.

    plan     which files a run takes and where each one goes (Job)
    read     the one home of reading: files to tasks, bytes to text
    tasks    what travels between the reader, the workers and the run
    work     what a worker does with a task
    pool     worker processes, results in task order
    write    outputs: atomic files, standard output, nowhere
    run      one run over the jobs, with its faults handled in one place
    stats    the counts of a run
    formats  file formats and compressed streams
    records  JSON Lines records edited without re-spelling them
    globs    exclude patterns
    stdin    what standard input holds, before it is read as one format
    resume   which outputs a resumed run may leave as they are

Nothing is imported here, so a command loads only the parts it uses.
"""
