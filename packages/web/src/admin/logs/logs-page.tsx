export default function Page() {
  return <section>logs-page</section>;
}
