export default function Page() {
  return <section>sessions-page</section>;
}
