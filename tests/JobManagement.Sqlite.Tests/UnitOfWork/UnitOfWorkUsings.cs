global using UnitOfWorkHost = JobManagement.Journal.Conformance.UnitOfWork.UnitOfWorkHost<JobManagement.Sqlite.SqliteJobEventJournal>;
global using UnitOfWorkProbe = JobManagement.Journal.Conformance.UnitOfWork.UnitOfWorkProbe;
