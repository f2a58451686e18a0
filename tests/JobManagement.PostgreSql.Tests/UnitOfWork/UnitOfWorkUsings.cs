global using UnitOfWorkHost = JobManagement.Journal.Conformance.UnitOfWork.UnitOfWorkHost<JobManagement.PostgreSql.PostgreSqlJobEventJournal>;
global using UnitOfWorkProbe = JobManagement.Journal.Conformance.UnitOfWork.UnitOfWorkProbe;
