// One of each server per test run, shared by every test class that asks for it in its constructor.
// Each starts lazily on first use, so a test run that needs no SQL Server never looks for one.
[assembly: AssemblyFixture(typeof(PostgresServer))]
[assembly: AssemblyFixture(typeof(RabbitMqServer))]
[assembly: AssemblyFixture(typeof(SqlServerServer))]
