export default function AdminApp() {
  return <main className="page">admin</main>;
}
