export function DashboardPage() {
  return <main className="page">dashboard</main>;
}
